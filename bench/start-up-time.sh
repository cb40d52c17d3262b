#!/usr/bin/env bash
# Measures how fast each service starts with and without its AOT cache, outside Docker but
# as in its image: the jar extracted into layers with its jvm.options, the training run of
# its Dockerfile, then the JVM flags of its ENTRYPOINT, with and without -XX:AOTCache.
# Prints the medians of Spring Boot's "Started ... in X seconds" and of the time to the
# first successful health check, the two runs alternating.
#
# Usage: bench/start-up-time.sh [RUNS] [SERVICE...]     (default: 5 runs of each service)
# JVM_FLAGS='-XX:...' adds flags after jvm.options, in the training run and in both starts:
# a lever measured without building an image.
# Needs a JDK 25 as `java`. Build first: ./mvnw -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
shift || true
services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=(rng hasher worker webui)
port=${PORT:-18990}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pause, health
source bench/probe.sh
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Starts the service with the given command, prints "<Started in> <seconds to healthy>".
measure() {
	local log=$work/run.log start pid
	start=$(date +%s.%N)
	SERVER_PORT=$port SERVER_ADDRESS=127.0.0.1 "$@" >"$log" 2>&1 &
	pid=$!
	until health "$port" 2>/dev/null; do
		if ! kill -0 $pid 2>/dev/null; then cat "$log" >&2; exit 1; fi
		pause 0.01
	done
	local healthy
	healthy=$(awk -v t0="$start" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.2f", t1 - t0 }')
	kill $pid
	wait $pid || true
	echo "$(sed -nE 's/.*Started .* in ([0-9.]+) seconds.*/\1/p' "$log") $healthy"
}

printf '| service | started in, AOT cache | without | healthy after, AOT cache | without |\n'
printf '| --- | --- | --- | --- | --- |\n'
for service in "${services[@]}"; do
	dockerfile=$service/Dockerfile
	app=$work/$service/app
	mkdir -p "$app"
	java -Djarmode=tools -jar "$service/target/$service.jar" extract --layers --destination "$work/$service/extracted"
	for layer in dependencies spring-boot-loader snapshot-dependencies application; do
		cp -a "$work/$service/extracted/$layer/." "$app/"
	done
	cp "$service/jvm.options" "$app/"
	# The RUN instruction of the training run, its continued lines joined.
	training=$(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$dockerfile" |
		sed -nE 's/^RUN (java .*-XX:AOTCacheOutput.*)$/\1/p')
	training=${training/@jvm.options/@jvm.options ${JVM_FLAGS:-}}
	read -ra entrypoint <<<"$(sed -nE 's/^ENTRYPOINT \[(.*)\]$/\1/p' "$dockerfile" |
		sed "s/\", \"/ /g; s/\"//g; s|@jvm.options|@jvm.options ${JVM_FLAGS:-}|")"
	without=()
	for arg in "${entrypoint[@]}"; do [[ $arg == -XX:AOTCache=* ]] || without+=("$arg"); done
	(cd "$app" && SERVER_PORT=80 sh -c "$training" >"$work/training.log" 2>&1) || { cat "$work/training.log"; exit 1; }
	: >"$work/with" && : >"$work/without"
	for ((i = 0; i < runs; i++)); do
		(cd "$app" && measure "${entrypoint[@]}") >>"$work/with"
		(cd "$app" && measure "${without[@]}") >>"$work/without"
	done
	printf '| %s | %s s | %s s | %s s | %s s |\n' "$service" \
		"$(cut -d' ' -f1 "$work/with" | median)" "$(cut -d' ' -f1 "$work/without" | median)" \
		"$(cut -d' ' -f2 "$work/with" | median)" "$(cut -d' ' -f2 "$work/without" | median)"
done

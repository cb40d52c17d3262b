#!/usr/bin/env bash
# Seconds from `java -jar launcher/target/dockercoins-launcher.jar` to its line
# "DockerCoins is running", RUNS times (default 5), with each service's "Started ... in" of
# the run, then the median.
#
# Usage: bench/launcher-time.sh [RUNS] [LAUNCHER OPTIONS...]
# Build first: ./mvnw -q package -DskipTests. Uses ports 18500-18510 and 18579 unless given.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
shift || true
jar=${LAUNCHER_JAR:-launcher/target/dockercoins-launcher.jar}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

times=()
for run in $(seq "$runs"); do
	start=$(date +%s.%N)
	java -jar "$jar" --port 18500 --redis-port 18579 "$@" >"$log" 2>&1 &
	pid=$!
	until grep -q "DockerCoins is running" "$log"; do
		if ! kill -0 $pid 2>/dev/null; then cat "$log" >&2; exit 1; fi
		sleep 0.05
	done
	seconds=$(echo "$(date +%s.%N) - $start" | bc)
	times+=("$seconds")
	printf 'run %d: %.2f s; %s\n' "$run" "$seconds" \
		"$(grep -o 'Started [A-Za-z]*Application in [0-9.]* seconds' "$log" | sed 's/Started //; s/Application in/:/; s/ seconds/ s/' | paste -sd ' ')"
	kill $pid
	wait $pid 2>/dev/null || true
done
printf 'median of %d: %.2f s\n' "$runs" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"

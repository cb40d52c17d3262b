#!/usr/bin/env bash
# Measures the mining speed of a stack started by the launcher: the rise of `hashes`
# (read from the web UI's /json) over a window, after a warm-up.
#
# Usage: bench/hash-rate.sh SECONDS [launcher options...]
#   bench/hash-rate.sh 20 --workers 10 --rng 5 --env WORKER_SLEEP=10ms
# Build first: ./mvnw -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

window=${1:?usage: bench/hash-rate.sh SECONDS [launcher options...]}
shift
port=8000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	if [[ ${args[i]} == --port ]]; then port=${args[i + 1]}; fi
done
warmup=${WARMUP:-10}
log=$(mktemp)

java -jar launcher/target/dockercoins-launcher.jar "$@" >"$log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null; rm -f "$log"' EXIT

until grep -q "DockerCoins is running" "$log"; do
	if ! kill -0 $launcher 2>/dev/null; then cat "$log"; exit 1; fi
	sleep 1
done

hashes() { curl -s "http://localhost:$port/json" | sed -E 's/.*"hashes":([0-9]+).*/\1/'; }
sleep "$warmup"
start=$(hashes)
start_time=$(date +%s.%N)
sleep "$window"
end=$(hashes)
end_time=$(date +%s.%N)
awk -v h=$((end - start)) -v t0="$start_time" -v t1="$end_time" -v opts="$*" \
	'BEGIN { printf "%s: %d hashes in %.1f s = %.1f hashes/second\n", (opts == "" ? "defaults" : opts), h, t1 - t0, h / (t1 - t0) }'

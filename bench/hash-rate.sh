#!/usr/bin/env bash
# Measures a stack started by the launcher over a window, after a warm-up: the mining
# speed (the rise of `hashes`, read from the web UI's /json) and the mean time a request
# waited for a free slot in rng (from the rng instances' /actuator/prometheus).
#
# Usage: bench/hash-rate.sh SECONDS [launcher options...]
#   bench/hash-rate.sh 20 --workers 10 --rng 5 --env WORKER_SLEEP=10ms
# Build first: ./mvnw -q package -DskipTests
# The whole grid (workshop and zero-latency rows) with the model and the CPU per service,
# in one command, is the bench module's jar: java -jar bench/target/dockercoins-bench.jar
set -euo pipefail
cd "$(dirname "$0")/.."

window=${1:?usage: bench/hash-rate.sh SECONDS [launcher options...]}
shift
port=8000
rng=1
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case ${args[i]} in
	--port) port=${args[i + 1]} ;;
	--rng) rng=${args[i + 1]} ;;
	esac
done
rng_ports=$((port + 1))
for ((i = 2; i <= rng; i++)); do rng_ports+=" $((port + 2 + i))"; done
warmup=${WARMUP:-10}
. bench/launched-stack.sh
start_stack "$@"

# Sum and count of dockercoins_slot_wait_seconds over every rng instance.
rng_wait() {
	for p in $rng_ports; do curl -s "http://localhost:$p/actuator/prometheus"; done |
		awk '/^dockercoins_slot_wait_seconds_sum/ { s += $2 } /^dockercoins_slot_wait_seconds_count/ { c += $2 } END { print s, c }'
}

sleep "$warmup"
start=$(stack_hashes "$port")
read -r wait_sum0 wait_count0 <<<"$(rng_wait)"
start_time=$(date +%s.%N)
sleep "$window"
end=$(stack_hashes "$port")
read -r wait_sum1 wait_count1 <<<"$(rng_wait)"
end_time=$(date +%s.%N)
awk -v h=$((end - start)) -v t0="$start_time" -v t1="$end_time" -v opts="$*" \
	-v s0="$wait_sum0" -v c0="$wait_count0" -v s1="$wait_sum1" -v c1="$wait_count1" \
	'BEGIN { printf "%s: %d hashes in %.1f s = %.1f hashes/second; rng mean wait for a slot %.1f ms\n",
		(opts == "" ? "defaults" : opts), h, t1 - t0, h / (t1 - t0), (c1 > c0 ? 1000 * (s1 - s0) / (c1 - c0) : 0) }'

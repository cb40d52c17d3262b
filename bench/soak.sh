#!/usr/bin/env bash
# A soak test: the stack under the workshop's load (10 workers, default latencies) for a
# while, following the resident memory (RSS) of each of its processes. Prints each
# process's RSS after the first minute and at the end, the growth in between, the error
# lines the services logged, and the mining speed over the run.
#
# Usage: bench/soak.sh [MINUTES] [launcher options...]   (default 10 minutes; the options
#   come after --workers 10, e.g. bench/soak.sh 10 --rng 5)
# LAUNCHER_JAR chooses another launcher jar. Build first: ./mvnw -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
shift || true
port=${PORT:-8000}
. bench/launched-stack.sh
start_stack --workers 10 --port "$port" "$@"
started_lines=$(wc -l <"$stack_log")

sleep 60
declare -A first
while read -r name pid; do first[$pid]=$(status_mb VmRSS "$pid"); done < <(stack_processes)
h0=$(stack_hashes "$port")
t0=$(date +%s)
for ((i = 1; i < minutes; i++)); do
	sleep 60
	printf 'minute %2d:' $((i + 1))
	while read -r name pid; do printf ' %s %s MB' "$name" "$(status_mb VmRSS "$pid")"; done < <(stack_processes)
	echo
done
h1=$(stack_hashes "$port")
t1=$(date +%s)

printf '\n%-12s %8s %14s %12s %8s\n' process pid "RSS at 1 min" "RSS at end" growth
while read -r name pid; do
	last=$(status_mb VmRSS "$pid")
	awk -v n="$name" -v p="$pid" -v a="${first[$pid]}" -v b="$last" \
		'BEGIN { printf "%-12s %8s %11s MB %9s MB %7.1f%%\n", n, p, a, b, 100 * (b - a) / a }'
done < <(stack_processes)
errors=$(tail -n +"$started_lines" "$stack_log" | grep -cE ' (ERROR|WARN) ' || true)
awk -v h=$((h1 - h0)) -v t=$((t1 - t0)) -v e="$errors" \
	'BEGIN { printf "\n%.1f hashes/second from minute 1 to the end; %d error or warning lines logged\n", h / t, e }'

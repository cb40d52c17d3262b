#!/usr/bin/env bash
# Measures the resident memory of each process of a stack started by the launcher, after it
# has run for a while: VmRSS (what `ps` and `top` show), split into RssAnon (the process's
# own: heap, metaspace, compiled code, stacks) and RssFile (mapped files: the JDK's modules
# and CDS archive, shared with every JVM of the same JDK).
#
# Usage: bench/memory.sh SECONDS [launcher options...]
#   bench/memory.sh 60 --workers 10 --port 18000 --redis-port 18379
# LAUNCHER_JAR chooses another launcher jar. Build first: ./mvnw -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:?usage: bench/memory.sh SECONDS [launcher options...]}
shift
. bench/launched-stack.sh
start_stack "$@"
sleep "$seconds"

printf '| process | VmRSS | RssAnon | RssFile |\n| --- | --- | --- | --- |\n'
while read -r name pid; do
	port=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^SERVER_PORT=//p')
	printf '| %s | %s MB | %s MB | %s MB |\n' "$name${port:+ :$port}" "$(status_mb VmRSS "$pid")" "$(status_mb RssAnon "$pid")" "$(status_mb RssFile "$pid")"
done < <(stack_processes)

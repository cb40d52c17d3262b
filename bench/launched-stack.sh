# Sourced by the bench scripts: start_stack [launcher options...] starts the launcher (the jar
# in LAUNCHER_JAR, else the one built here), waits until the stack runs, and stops it when
# the script exits. Sets $launcher to the launcher's process id and $stack_log to the file
# that holds its output.
start_stack() {
	stack_log=$(mktemp)
	java -jar "${LAUNCHER_JAR:-launcher/target/dockercoins-launcher.jar}" "$@" >"$stack_log" 2>&1 &
	launcher=$!
	trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null; rm -f "$stack_log"' EXIT
	until grep -q "DockerCoins is running" "$stack_log"; do
		if ! kill -0 $launcher 2>/dev/null; then cat "$stack_log"; exit 1; fi
		sleep 1
	done
}

# Prints "name pid" for each process the launcher started: the service (its jar's name), or
# redis.
stack_processes() {
	local pid
	for pid in $(pgrep -P $launcher); do
		echo "$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed -nE 's/.*[/ ]([a-z]+)\.jar.*/\1/p; s/.*redis-server.*/redis/p' | head -1) $pid"
	done
}

# stack_hashes PORT: the hashes counter, as the web UI on PORT shows it in /json.
stack_hashes() { curl -s "http://localhost:$1/json" | sed -E 's/.*"hashes":([0-9]+).*/\1/'; }

# status_mb KEY PID: a memory figure of /proc/PID/status (VmRSS, RssAnon...), in MB.
status_mb() { awk -v key="$1:" '$1 == key { print int($2 / 1024) }' "/proc/$2/status"; }

# Sourced by the bench scripts: start_stack [launcher options...] starts the launcher (the jar
# in LAUNCHER_JAR, else the one built here), waits until the stack runs, and stops it when
# the script exits. Sets $launcher to the launcher's process id.
start_stack() {
	local log
	log=$(mktemp)
	java -jar "${LAUNCHER_JAR:-launcher/target/dockercoins-launcher.jar}" "$@" >"$log" 2>&1 &
	launcher=$!
	trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null; rm -f "'"$log"'"' EXIT
	until grep -q "DockerCoins is running" "$log"; do
		if ! kill -0 $launcher 2>/dev/null; then cat "$log"; exit 1; fi
		sleep 1
	done
}

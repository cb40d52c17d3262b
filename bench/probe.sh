# Probes for the benchmarks (sourced by engine.sh and start-up-time.sh): each polls with
# bash's own /dev/tcp, read and sleep, forking nothing. A curl and a sleep process 100 times
# a second took enough CPU from the start they measured to delay it by up to 0.9 s on 2
# cores (BENCHMARKS.md, "The probe, corrected").

exec {never}<> <(:)
# Sleeps for $1 seconds without a sleep process: a read that nothing ever answers.
pause() { read -r -t "$1" -u "$never" || true; }

ask() { # port request expected-reply-prefix
	local reply
	# Before a container's service listens, the engine's proxy accepts and then closes the
	# connection: a write then fails instead of killing the shell.
	trap '' PIPE
	exec 3<>"/dev/tcp/127.0.0.1/$1" && printf '%b' "$2" >&3 && read -r -t 1 reply <&3
	exec 3>&-
	trap - PIPE
	[[ ${reply:-} == "$3"* ]]
}
redis_ping() { ask "$1" 'PING\r\n' +PONG; }
health() { ask "$1" 'GET /actuator/health/liveness HTTP/1.0\r\n\r\n' 'HTTP/1.1 200'; }

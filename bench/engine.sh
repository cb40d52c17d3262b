#!/usr/bin/env bash
# The stack on a Docker engine, measured as a workshop attendee meets it on a small machine:
#   1. how soon each image answers after `docker run` (its health endpoint), net of the
#      engine's own overhead: the time a redis:8 container takes to answer PING, measured in
#      the same run; and the CPU time its process used in its first 10 s, the start and the
#      compilations that follow it (what 17 containers starting together on 2 cores share);
#   2. how long `docker stack deploy -c stack.yml` takes to converge on one node (17
#      containers: 10 workers, 5 rng, hasher, webui, Redis), and whether a task failed;
#   3. the memory of each container (`docker stats`) after 60 s of that workshop load.
# Prints a Markdown table of each. Needs the engine of ../shared/container-engine/start (or
# any Docker engine), and the images built: docker build -t dockercoins/<service>:v0.1 <service>.
#
# Usage: bench/engine.sh [RUNS]   (default 5 runs of each `docker run`, medians)
# It leaves a swarm it had to create (docker swarm leave --force) and removes its stack.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
services=(rng hasher webui worker)
stack=dcbench
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
# pause, redis_ping, health
source bench/probe.sh

# 1. The first answer after docker run, on a port published on loopback, and for our images
# the CPU seconds (user and system) of the container's process 10 s after docker run, from
# the host's /proc. Redis only gives the engine's overhead: its first answer alone.
first_answer() { # image check-command...
	local image=$1 start cid port seconds pid engine_probe=false
	shift
	[[ $image == redis* ]] && engine_probe=true
	start=$(now)
	cid=$(docker run -d -p 127.0.0.1::"$($engine_probe && echo 6379 || echo 80)" "$image")
	port=$(docker port "$cid" | head -1 | sed 's/.*://')
	until "$@" "$port" 2>/dev/null; do pause 0.01; done
	seconds=$(echo "$(now) - $start" | bc)
	if $engine_probe; then
		echo "$seconds"
	else
		pid=$(docker inspect --format '{{.State.Pid}}' "$cid")
		sleep "$(echo "r = 10 - ($(now) - $start); if (r < 0) r = 0; r" | bc)"
		echo "$seconds $(awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$pid/stat")"
	fi
	# With its anonymous volumes (Redis declares one for /data).
	docker rm -f --volumes "$cid" >/dev/null
}
declare -A answer cpu
engine=$(for _ in $(seq "$runs"); do first_answer redis:8 redis_ping; done | median)
for service in "${services[@]}"; do
	results=$(for _ in $(seq "$runs"); do first_answer "dockercoins/$service:v0.1" health; done)
	answer[$service]=$(cut -d' ' -f1 <<<"$results" | median)
	cpu[$service]=$(cut -d' ' -f2 <<<"$results" | median)
done
echo "First answer after docker run, medians of $runs (engine overhead: redis:8 answers PING after ${engine} s):"
echo
echo "| service | first answer | net of the engine's overhead | CPU in the first 10 s |"
echo "| --- | --- | --- | --- |"
for service in "${services[@]}"; do
	printf '| %s | %.2f s | %.2f s | %.2f s |\n' "$service" "${answer[$service]}" \
		"$(echo "${answer[$service]} - $engine" | bc)" "${cpu[$service]}"
done

# 2. The Swarm stack, from the local images (no registry is needed on one node).
created_swarm=false
if [[ $(docker info --format '{{.Swarm.LocalNodeState}}') == inactive ]]; then
	docker swarm init >/dev/null 2>&1 || docker swarm init --advertise-addr "$(hostname -I | awk '{print $1}')" >/dev/null
	created_swarm=true
fi
remove_stack() {
	docker stack rm "$stack" >/dev/null 2>&1 || true
	until [[ -z $(docker ps -q --filter "label=com.docker.stack.namespace=$stack") ]]; do sleep 1; done
	# The volume is in use until its container is gone, a moment after it stopped.
	for _ in $(seq 30); do
		docker volume inspect "${stack}_redis-data" >/dev/null 2>&1 || break
		docker volume rm "${stack}_redis-data" >/dev/null 2>&1 || sleep 1
	done
}
cleanup() {
	remove_stack
	if $created_swarm; then docker swarm leave --force >/dev/null; fi
}
# A run killed before its cleanup leaves its stack, which a swarm restarts with the engine.
remove_stack
trap cleanup EXIT
for service in "${services[@]}"; do docker tag "dockercoins/$service:v0.1" "localhost:5000/dockercoins_$service:v0.1"; done
files=(-c stack.yml)
# Without IPVS, Swarm's virtual IPs do not work: DNS round robin instead, as the tests do.
[[ -e /proc/net/ip_vs ]] || files+=(-c containers/src/test/resources/swarm-without-ipvs.yml)
start=$(now)
docker stack deploy "${files[@]}" "$stack" >/dev/null 2>&1
until [[ $(docker stack services "$stack" --format '{{.Replicas}}' | awk -F/ '$1 != $2' | wc -l) == 0 ]]; do sleep 0.5; done
converged=$(echo "$(now) - $start" | bc)
failed=$(docker stack ps "$stack" --no-trunc --format '{{.CurrentState}} {{.Error}}' | grep -cE 'Failed|Rejected|unhealthy' || true)
echo
printf 'docker stack deploy: 17 containers converged in %.0f s; tasks failed on the way: %s\n' "$converged" "$failed"

# 3. Memory after 60 s of the workshop's load.
sleep 60
echo
echo "Memory (docker stats) after 60 s of 10 workers and 5 rng, $(curl -s localhost:8000/json):"
echo
echo "| service | containers | MiB, least | MiB, most |"
echo "| --- | --- | --- | --- |"
docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' | grep "^${stack}_" |
	sed -E "s/^${stack}_([a-z]+)\.[^ ]* ([0-9.]+)([KMG]i?B).*/\1 \2 \3/" |
	awk '{ m = $2; if ($3 == "GiB") m *= 1024; if ($3 == "KiB") m /= 1024;
		n[$1]++; if (!($1 in lo) || m < lo[$1]) lo[$1] = m; if (m > hi[$1]) hi[$1] = m }
		END { for (s in n) printf "| %s | %d | %.0f | %.0f |\n", s, n[s], lo[s], hi[s] }' | sort

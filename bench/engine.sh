#!/usr/bin/env bash
# The stack on a Docker engine, beside the original DockerCoins on the same engine in the
# same run, measured as a workshop attendee meets them on a small machine. For each side,
# one after the other (the original first), from its own images:
#   1. how soon each image answers after `docker run`, net of the engine's own overhead (a
#      redis:8 container answering PING), and the CPU its process used in its first 10 s;
#      ours beside a floor: a bare Spring Boot web application with the actuator
#      (bench/floor), built by rng's Dockerfile with rng's jvm.options;
#   2. `docker stack deploy` on one Swarm node (stack.yml, or bench/original-stack.yml:
#      10 workers, 5 rng, hasher, webui, Redis) until every service is at its count, and
#      the tasks that failed on the way;
#   3. the memory of each container (`docker stats`) after 60 s of that load, and its rate;
#   4. the rates of the workshop's step 5: 1 rng with 1, 2 and 10 workers;
#   5. `docker service scale worker=10` from 1 (5 rng) until the rate is there: 90% of the
#      rate of 3., over the last 3 s;
#   6. the presenter's rebuild: a one-line change to the worker (the loop's sleep, 0.1 s to
#      0.01 s), `docker build -t localhost:5000/<worker>:v0.01 <folder>` then `docker push`,
#      timed from the edit to the pushed image, and the bytes pushed (the new blobs, as the
#      registry stores them, compressed);
#   7. the rolling update of the 10 workers to that image, as the workshop types it
#      (`docker service update --update-parallelism 2 --update-delay 5s --image ...`), until
#      Swarm says it completed, the rate after it, then `docker service rollback` and the
#      rate after that.
# Prints a Markdown table of each part, with both sides and their ratio.
#
# Needs the engine of ../shared/container-engine/start, the original's bases
# (../shared/container-engine/original) and the original's files (ORIGINAL, by default
# ../shared/peers/container.training/dockercoins); ports 5000 (a registry) and 8000 free. It
# builds every image it runs (from the build cache when nothing changed). About 30 minutes;
# hold the CPU lock: flock /tmp/cpu.lock bench/engine.sh
#
# Usage: bench/engine.sh [RUNS]   (default 5 runs of each `docker run`, medians)
#   SIDES="ours" (or "original") measures one side only.
# It leaves a swarm it had to create, and removes its stack, registry and network.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
read -ra sides <<<"${SIDES:-original ours}"
original=${ORIGINAL:-../shared/peers/container.training/dockercoins}
services=(rng hasher worker webui)
stack=dcbench
registry=localhost:5000
network=dcbench-probe
work=$(mktemp -d)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
calc() { echo "$*" | bc -l; }

# The probes poll with bash's own /dev/tcp, read and read -t, forking nothing: a curl and a
# sleep process 100 times a second took enough CPU from the start they measured to delay it
# by up to 0.9 s on 2 cores (BENCHMARKS.md, "The probe, corrected").
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
# Ours and the floor: the liveness endpoint of the health checks.
liveness() { ask "$1" 'GET /actuator/health/liveness HTTP/1.0\r\n\r\n' 'HTTP/1.1 200'; }
# The original's services have no health endpoint: any answer over HTTP (its web UI
# redirects / to its page).
http() { ask "$1" 'GET / HTTP/1.0\r\n\r\n' 'HTTP/1.'; }

declare -A result

# A run killed before its cleanup leaves its stack, which a swarm restarts with the engine.
remove_stack() {
	docker stack rm "$stack" >/dev/null 2>&1 || true
	until [[ -z $(docker ps -q --filter "label=com.docker.stack.namespace=$stack") ]]; do sleep 1; done
	# The volume is in use until its container is gone, a moment after it stopped.
	for _ in $(seq 30); do
		docker volume inspect "${stack}_redis-data" >/dev/null 2>&1 || break
		docker volume rm "${stack}_redis-data" >/dev/null 2>&1 || sleep 1
	done
	# The overlay network goes a moment after the stack's containers.
	for _ in $(seq 30); do
		docker network inspect "${stack}_default" >/dev/null 2>&1 || break
		sleep 1
	done
}
created_swarm=false
cleanup() {
	remove_stack
	docker rm -f --volumes dcbench-registry dcbench-redis >/dev/null 2>&1 || true
	docker network rm "$network" >/dev/null 2>&1 || true
	docker image rm "$registry/dockercoins_worker:v0.01" "$registry/original_worker:v0.01" >/dev/null 2>&1 || true
	# The bridge that swarm init made for the tasks' outside traffic outlives the swarm.
	# dockerd 20.10 may keep a stale endpoint on it, which only its restart clears: then it
	# stays, harmless, and the next swarm init reuses it.
	if $created_swarm; then
		docker swarm leave --force >/dev/null
		docker network rm docker_gwbridge >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
remove_stack
for port in 5000 8000; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "Port $port is taken; engine.sh needs it (docker ps shows what holds it)." >&2
		exit 1
	fi
done

# 0. The images: ours and the floor, then the original's, each built from its folder.
echo "Building the images ($(date -u '+%F %T') UTC)..."
for service in "${services[@]}"; do
	docker build -q -t "$registry/dockercoins_$service:v0.1" "$service" >/dev/null
done
cp -r bench/floor "$work/floor"
cp rng/jvm.options rng/.dockerignore "$work/floor/"
sed 's/rng/floor/g; s/Rng/Floor/g' rng/Dockerfile >"$work/floor/Dockerfile"
docker build -q -t dcbench/floor "$work/floor" >/dev/null
for service in "${services[@]}"; do
	docker build -q -t "$registry/original_$service:v0.1" "$original/$service" >/dev/null
done

# 1. The first answer after docker run, on a port published on loopback, and the CPU
# seconds (user and system) of the container's process 10 s after docker run, from the
# host's /proc. Each container joins a network where a Redis answers to "redis" (the
# original's web UI answers nothing before it has one). The engine's overhead: a redis:8
# container's first answer alone.
docker network create "$network" >/dev/null
docker run -d --name dcbench-redis --network "$network" --network-alias redis redis:8 >/dev/null
first_answer() { # image container-port probe [docker run options...]
	local image=$1 target=$2 probe=$3 start cid port pid
	shift 3
	start=$(now)
	cid=$(docker run -d --network "$network" -p 127.0.0.1::"$target" "$@" "$image")
	port=$(docker port "$cid" | head -1 | sed 's/.*://')
	until "$probe" "$port" 2>/dev/null; do pause 0.01; done
	local seconds
	seconds=$(calc "$(now) - $start")
	pid=$(docker inspect --format '{{.State.Pid}}' "$cid")
	pause "$(calc "r = 10 - ($(now) - $start); if (r < 0) r = 0; r")"
	echo "$seconds $(awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$pid/stat")"
	# With its anonymous volumes (Redis declares one for /data).
	docker rm -f --volumes "$cid" >/dev/null
}
answers() { # name image container-port probe [docker run options...]
	local name=$1 results
	shift
	results=$(for _ in $(seq "$runs"); do first_answer "$@"; done)
	result[answer.$name]=$(cut -d' ' -f1 <<<"$results" | median)
	result[cpu.$name]=$(cut -d' ' -f2 <<<"$results" | median)
}
answers engine redis:8 6379 redis_ping
for side in "${sides[@]}"; do
	for service in rng hasher webui worker; do
		if [[ $side == ours ]]; then
			answers "ours.$service" "$registry/dockercoins_$service:v0.1" 80 liveness
		elif [[ $service != worker ]]; then # the original's worker serves nothing
			answers "original.$service" "$registry/original_$service:v0.1" 80 http \
				--sysctl net.ipv6.conf.all.disable_ipv6=0
		fi
	done
	[[ $side == ours ]] && answers floor dcbench/floor 80 liveness
done
docker rm -f --volumes dcbench-redis >/dev/null
docker network rm "$network" >/dev/null

# 2.-7. Each side's stack on a one-node swarm, with a registry for the presenter's pushes.
if [[ $(docker info --format '{{.Swarm.LocalNodeState}}') == inactive ]]; then
	docker swarm init >/dev/null 2>&1 || docker swarm init --advertise-addr "$(hostname -I | awk '{print $1}')" >/dev/null
	created_swarm=true
fi
docker run -d --name dcbench-registry -p 127.0.0.1:5000:5000 registry:2 >/dev/null
until curl -fs "$registry/v2/" >/dev/null; do sleep 0.2; done

converge() { # until every service of the stack is at its count
	until [[ $(docker stack services "$stack" --format '{{.Replicas}}' | awk -F/ '$1 != $2' | wc -l) == 0 ]]; do pause 0.5; done
}
sample() { # "<now> <hashes>" from the web UI's /json (the original's gives hashes as a string)
	curl -s --max-time 2 127.0.0.1:8000/json | sed -nE 's/.*"hashes":"?([0-9]+)"?.*"now":([0-9.]+).*/\2 \1/p'
}
rate() { # hashes per second over the next $1 seconds
	local before after
	until before=$(sample) && [[ -n $before ]]; do sleep 0.5; done
	sleep "$1"
	until after=$(sample) && [[ -n $after ]]; do sleep 0.5; done
	awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.2f", (y[2] - x[2]) / (y[1] - x[1]) }'
}
settled_rate() { sleep 10 && rate 20; } # after 10 s for the services to settle, over 20 s
blobs() { # "size digest" of each blob of an image in the registry: its config and layers
	curl -s -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "$registry/v2/$1/manifests/$2" |
		tr -d ' \n' | grep -oE '"size":[0-9]+,"digest":"sha256:[0-9a-f]+"' | sort
}
until_state() { # service state: until its update or rollback is in that state (10 minutes at most)
	local state
	for _ in $(seq 1200); do
		state=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$1")
		[[ $state == "$2" ]] && return
		pause 0.5
	done
	echo "$1: $state after 10 minutes, not $2" >&2
	exit 1
}

for side in "${sides[@]}"; do
	echo "Measuring the stack: $side ($(date -u '+%F %T') UTC)..."
	if [[ $side == ours ]]; then
		prefix=dockercoins_
		files=(-c stack.yml)
	else
		prefix=original_
		files=(-c bench/original-stack.yml)
	fi
	# Without IPVS, Swarm's virtual IPs do not work: DNS round robin instead, as the tests do.
	[[ -e /proc/net/ip_vs ]] || files+=(-c containers/src/test/resources/swarm-without-ipvs.yml)
	for service in "${services[@]}"; do
		docker push -q "$registry/$prefix$service:v0.1" >/dev/null
	done

	# 2. Deploy.
	start=$(now)
	docker stack deploy "${files[@]}" "$stack" >/dev/null 2>&1
	converge
	result[$side.deploy]=$(calc "$(now) - $start")
	result[$side.failed]=$(docker stack ps "$stack" --format '{{.CurrentState}} {{.Error}}' | grep -cE 'Failed|Rejected|unhealthy' || true)

	# 3. Memory after 60 s of the load, and the rate over the last 20 s of them.
	sleep 40
	result[$side.rate10]=$(rate 20)
	docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' | grep "^${stack}_" |
		sed -E "s/^${stack}_([a-z]+)\.[^ ]* ([0-9.]+)([KMG]i?B).*/\1 \2 \3/" >"$work/stats"
	while read -r service least most; do
		result[$side.memory.$service]="$least-$most"
	done < <(awk '{ m = $2; if ($3 == "GiB") m *= 1024; if ($3 == "KiB") m /= 1024;
		if (!($1 in lo) || m < lo[$1]) lo[$1] = m; if (m > hi[$1]) hi[$1] = m }
		END { for (s in lo) printf "%s %.0f %.0f\n", s, lo[s], hi[s] }' "$work/stats")
	result[$side.memory]=$(awk '{ m = $2; if ($3 == "GiB") m *= 1024; if ($3 == "KiB") m /= 1024; t += m } END { printf "%.0f", t }' "$work/stats")

	# 4. One rng, then 1, 2, 10 workers.
	for workers in 1 2 10; do
		docker service scale -d "${stack}_rng=1" "${stack}_worker=$workers" >/dev/null
		converge
		result[$side.rate1.$workers]=$(settled_rate)
	done

	# 5. From 1 worker to 10, with 5 rng.
	docker service scale -d "${stack}_rng=5" "${stack}_worker=1" >/dev/null
	converge
	sleep 10
	target=$(calc "0.9 * ${result[$side.rate10]} * 3")
	start=$(now)
	docker service scale -d "${stack}_worker=10" >/dev/null
	samples=()
	for _ in $(seq 600); do
		samples+=("$(sample)")
		# The last sample against the latest one at least 3 s older.
		read -r reached <<<"$(printf '%s\n' "${samples[@]}" | awk -v target="$target" '
			{ t[NR] = $1; h[NR] = $2 }
			END { for (i = NR - 1; i >= 1; i--) if (t[NR] - t[i] >= 3) {
				print ((h[NR] - h[i]) * 3 / (t[NR] - t[i]) >= target) ? "yes" : "no"; exit }
				print "no" }')"
		[[ $reached == yes ]] && break
		pause 0.5
	done
	result[$side.scale]=$(calc "$(now) - $start")
	[[ $reached == yes ]] || echo "$side: the rate of 10 workers never came back after the scale" >&2
	converge

	# 6. The presenter's rebuild of the worker with a shorter sleep.
	if [[ $side == ours ]]; then
		cp -r worker "$work/worker-$side"
		rm -rf "$work/worker-$side/target"
		sed -i '0,/@DefaultValue("100ms")/s//@DefaultValue("10ms")/' "$work/worker-$side/src/main/java/dockercoins/worker/WorkerProperties.java"
	else
		cp -r "$original/worker" "$work/worker-$side"
		sed -i 's/time.sleep(0.1)/time.sleep(0.01)/' "$work/worker-$side/worker.py"
	fi
	if ! grep -rqE '@DefaultValue\("10ms"\)|time.sleep\(0.01\)' "$work/worker-$side"; then
		echo "The one-line change to the worker was not made: has its source changed?" >&2
		exit 1
	fi
	image=$registry/${prefix}worker
	start=$(now)
	docker build -q -t "$image:v0.01" "$work/worker-$side" >/dev/null
	docker push -q "$image:v0.01" >/dev/null
	result[$side.rebuild]=$(calc "$(now) - $start")
	result[$side.pushed]=$(comm -13 <(blobs "${prefix}worker" v0.1) <(blobs "${prefix}worker" v0.01) |
		sed -E 's/"size":([0-9]+),.*/\1/' | awk '{ t += $1 } END { printf "%.2f", t / 1000000 }')

	# 7. The rolling update, its rate, the rollback and its rate.
	start=$(now)
	docker service update -d --update-parallelism 2 --update-delay 5s --image "$image:v0.01" "${stack}_worker" >/dev/null
	until_state "${stack}_worker" completed
	result[$side.rollout]=$(calc "$(now) - $start")
	result[$side.rate.v001]=$(settled_rate)
	start=$(now)
	docker service rollback -d "${stack}_worker" >/dev/null
	until_state "${stack}_worker" rollback_completed
	result[$side.rollback]=$(calc "$(now) - $start")
	result[$side.rate.back]=$(settled_rate)

	remove_stack
done

# The tables, both sides and their ratio.
value() { echo "${result[$1]:-}"; }
ratio() { # ours original
	if [[ -n $1 && -n $2 ]] && [[ $(calc "$2 > 0") == 1 ]]; then printf '%.2f' "$(calc "$1 / $2")"; fi
}
shown() { # format value: the value in that format, or nothing
	if [[ -n $2 ]]; then printf "$1" "$2"; fi
}
row() { # label format ours-key original-key
	local ours original
	ours=$(value "$3") original=$(value "$4")
	printf '| %s | %s | %s | %s |\n' "$1" "$(shown "$2" "$original")" "$(shown "$2" "$ours")" "$(ratio "$ours" "$original")"
}
net() { [[ -n ${result[answer.$1]:-} ]] && calc "${result[answer.$1]} - ${result[answer.engine]}"; }
echo
echo "$(date -u '+%F %T') UTC, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs, dockerd $(docker version --format '{{.Server.Version}}')"
echo
echo "First answer after docker run, medians of $runs, net of the engine's overhead (redis:8 answers PING after $(printf '%.2f' "${result[answer.engine]}") s); CPU in the first 10 s:"
echo
echo "| service | original | ours | floor | ours / floor | ours / original | CPU: original | ours | floor |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
floor=$(net floor || true)
for service in "${services[@]}"; do
	o=$(net "original.$service" || true) u=$(net "ours.$service" || true)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$service" \
		"$([[ -n $o ]] && printf '%.2f s' "$o")" "$([[ -n $u ]] && printf '%.2f s' "$u")" \
		"$([[ -n $floor ]] && printf '%.2f s' "$floor")" "$(ratio "$u" "$floor")" "$(ratio "$u" "$o")" \
		"$(value "cpu.original.$service")" "$(value "cpu.ours.$service")" "$(value cpu.floor)"
done
echo
echo "The stacks on one Swarm node:"
echo
echo "| measure | original | ours | ours / original |"
echo "| --- | --- | --- | --- |"
row '`docker stack deploy` until converged' '%.1f s' ours.deploy original.deploy
row 'tasks failed on the way' '%s' ours.failed original.failed
row '10 workers, 5 rng' '%.2f h/s' ours.rate10 original.rate10
for workers in 1 2 10; do row "1 rng, $workers workers" '%.2f h/s' "ours.rate1.$workers" "original.rate1.$workers"; done
row 'scale worker 1 -> 10 (5 rng) until 90% of the rate' '%.1f s' ours.scale original.scale
row 'rebuild of a one-line change: build and push' '%.1f s' ours.rebuild original.rebuild
row 'bytes pushed (compressed)' '%.2f MB' ours.pushed original.pushed
row 'rolling update to v0.01, 2 at a time, 5 s apart' '%.1f s' ours.rollout original.rollout
row 'rate after v0.01' '%.2f h/s' ours.rate.v001 original.rate.v001
row '`docker service rollback`' '%.1f s' ours.rollback original.rollback
row 'rate after the rollback' '%.2f h/s' ours.rate.back original.rate.back
row 'memory after 60 s, all containers' '%s MiB' ours.memory original.memory
for service in rng hasher webui worker redis; do
	printf '| memory: %s (least-most) | %s MiB | %s MiB | |\n' "$service" "$(value "original.memory.$service")" "$(value "ours.memory.$service")"
done

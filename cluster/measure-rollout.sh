#!/usr/bin/env bash
# Where the time of the workshop's rollout goes on a cluster of cluster.sh: worker v0.01
# rolled out over a running stack, two tasks at a time, 5 s apart (docs/workshop.md, step 9),
# with every node's Docker events recorded. For each batch of two tasks: the old tasks' stop
# (SIGTERM to exit), the new tasks' preparation (scheduling and, on a node that does not have
# it yet, the pull of the new image), the container's start, its first passing health check,
# and the wait before the next batch. Ours (stack.yml) and the original DockerCoins'
# (../shared/peers/container.training/dockercoins, built unchanged), each on a fresh cluster.
#
#   cluster/measure-rollout.sh [ours|original|both]    (default both; about 6 minutes)
#
# Needs ours built (docker build -t dockercoins/<service>:v0.1 <service>), the original's
# bases (../shared/container-engine/original) and jq. On a machine that refuses
# --privileged, set CLUSTER_NODE_OPTIONS as SwarmClusterEndToEndTests does. It removes its
# cluster when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DOCKER_HOST
original_source=../shared/peers/container.training/dockercoins
node1=(env DOCKER_HOST=tcp://127.0.0.1:2375 docker)
work=$(mktemp -d)
trap 'cluster/cluster.sh down; rm -rf "$work"' EXIT
ipvs=true
[[ -e /proc/net/ip_vs ]] || ipvs=false

# The two versions of each worker, built on this machine's engine: the workshop's edit, the
# sleep of each loop from 100 ms to 10 ms.
build_ours() {
	mkdir -p "$work/ours"
	cp -r worker/Dockerfile worker/pom.xml worker/jvm.options worker/src "$work/ours/"
	sed -i 's/@DefaultValue("100ms") @DurationMin(millis = 0) Duration sleep/@DefaultValue("10ms") @DurationMin(millis = 0) Duration sleep/' \
		"$work/ours/src/main/java/dockercoins/worker/WorkerProperties.java"
	grep -q '@DefaultValue("10ms")' "$work/ours/src/main/java/dockercoins/worker/WorkerProperties.java"
	docker build -q --build-arg VERSION=v0.01 -t dockercoins/worker:v0.01 "$work/ours" >/dev/null
}
build_original() {
	local service
	for service in rng hasher webui worker; do
		docker build -q -t "dockercoins-original/$service:v0.1" "$original_source/$service" >/dev/null
	done
	cp -r "$original_source/worker" "$work/original"
	sed -i 's/time.sleep(0.1)/time.sleep(0.01)/' "$work/original/worker.py"
	grep -q 'time.sleep(0.01)' "$work/original/worker.py"
	docker build -q -t dockercoins-original/worker:v0.01 "$work/original" >/dev/null
}

# The images into node1, then into the cluster's registry under the workshop's names: ours
# as stack.yml names them, the original's as its stack file does (127.0.0.1:5000/<service>).
push() { # local-prefix registry-prefix
	local service images=(redis:8)
	for service in rng hasher webui worker; do images+=("$1$service:v0.1"); done
	images+=("${1}worker:v0.01")
	cluster/cluster.sh load "${images[@]}" >/dev/null
	for image in "${images[@]:1}"; do
		"${node1[@]}" tag "$image" "$2${image#"$1"}"
		"${node1[@]}" push -q "$2${image#"$1"}" >/dev/null
	done
}

deploy_ours() {
	local files=(-c stack.yml)
	$ipvs || files+=(-c containers/src/test/resources/swarm-without-ipvs.yml
		-c containers/src/test/resources/swarm-cluster-without-ipvs.yml)
	"${node1[@]}" stack deploy "${files[@]}" dockercoins >/dev/null
}
# The original's services as its stack file has them (dockercoins.yml: rng on every node, 10
# workers), with the course's docker service create; its hasher listens on :: and needs IPv6
# in its container. Without IPVS: DNS round robin, and the web UI published on node1.
deploy_original() {
	local mode=() web=(--publish 8000:80)
	$ipvs || { mode=(--endpoint-mode dnsrr); web=(--publish mode=host,target=80,published=8000 --constraint node.role==manager); }
	"${node1[@]}" network create -d overlay --attachable dockercoins_default >/dev/null
	create() { # service, options: named as a stack would, and found by its short name
		"${node1[@]}" service create -d --name "dockercoins_$1" --network "name=dockercoins_default,alias=$1" \
			"${mode[@]}" "${@:2}" >/dev/null
	}
	create redis --constraint node.role==manager redis:8
	create rng --mode global 127.0.0.1:5000/rng:v0.1
	create hasher --sysctl net.ipv6.conf.all.disable_ipv6=0 127.0.0.1:5000/hasher:v0.1
	create webui "${web[@]}" 127.0.0.1:5000/webui:v0.1
	create worker --replicas 10 127.0.0.1:5000/worker:v0.1
}

measure() { # ours|original
	local which=$1 image node ip started ended
	cluster/cluster.sh down
	cluster/cluster.sh up >/dev/null
	if [[ $which == ours ]]; then
		build_ours
		push dockercoins/ localhost:5000/dockercoins_
		image=localhost:5000/dockercoins_worker:v0.01
		deploy_ours
	else
		build_original
		push dockercoins-original/ 127.0.0.1:5000/
		image=127.0.0.1:5000/worker:v0.01
		deploy_original
	fi
	until [[ $("${node1[@]}" service ls --format '{{.Replicas}}' | awk -F'[/ ]' '$1 != $2' | wc -l) == 0 ]]; do sleep 1; done
	sleep 20
	for node in node1 node2 node3; do
		ip=$(docker inspect --format '{{(index .NetworkSettings.Networks "dockercoins-cluster").IPAddress}}' "dockercoins-$node")
		docker -H "tcp://$ip:2375" events --format '{{json .}}' --filter type=container --filter type=image \
			>"$work/$which-$node.events" &
	done
	sleep 1
	started=$(date +%s.%N)
	"${node1[@]}" service update -q --update-parallelism 2 --update-delay 5s --image "$image" dockercoins_worker >/dev/null
	ended=$(date +%s.%N)
	sleep 1
	kill $(jobs -p)
	report "$which" "$started" "$ended"
}

# From the nodes' events and the manager's tasks: for each slot of the worker, when Swarm
# created its new task, when the node had pulled the image and created the container, when
# the old container got SIGTERM and exited, when the new one started and first passed its
# health check. Swarm prepares a new task (pull, create) while the old one stops, and starts
# it once the old one has exited (stop-first).
report() { # which started ended
	local which=$1 node
	{
		for node in node1 node2 node3; do
			jq -r --arg node "$node" '
				if .Type == "image" and .Action == "pull" then [$node, "-", "-", "pull", "-", .timeNano / 1e9, "-"]
				elif .Type == "container" and .Actor.Attributes["com.docker.swarm.service.name"] == "dockercoins_worker" then
					[$node, (.Actor.Attributes["com.docker.swarm.task.name"] | split(".")[1]),
					 (if .Actor.Attributes.image | sub("@.*"; "") | endswith(":v0.01") then "new" else "old" end),
					 (.Action | sub(":.*"; "")), .Actor.Attributes.signal // "-", .timeNano / 1e9,
					 .Actor.Attributes["com.docker.swarm.task.id"]]
				else empty end | @tsv' "$work/$which-$node.events"
		done >"$work/$which.tsv"
		# The new tasks' creation, by the manager.
		awk -F'\t' '$3 == "new" && $4 == "create" { print $7 }' "$work/$which.tsv" | sort -u | while read -r task; do
			printf -- '-\t-\tnew\ttask\t-\t%s\t%s\n' \
				"$("${node1[@]}" inspect --format '{{.CreatedAt.UnixNano}}' "$task" | awk '{ printf "%.3f", $1 / 1e9 }')" "$task"
		done
		cat "$work/$which.tsv"
	} | awk -F'\t' -v t0="$2" -v t1="$3" -v which="$which" '
		$4 == "task" { task_created[$7] = $6 }
		$4 == "pull" { pulls[$1] = pulls[$1] " " $6 }
		$3 == "old" && $4 == "kill" && $5 == "15" && !(($2) in kill) { kill[$2] = $6 }
		$3 == "old" && $4 == "die" { die[$2] = $6 }
		$3 == "new" && $4 == "create" { create[$2] = $6; node[$2] = $1; task[$2] = $7 }
		$3 == "new" && $4 == "start" { start[$2] = $6 }
		$3 == "new" && $4 == "health_status" && !(($2) in healthy) { healthy[$2] = $6 }
		END {
			# Slots in the order of their new task, two by two.
			n = 0
			for (s in create) { created[s] = task_created[task[s]]; order[++n] = s }
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (created[order[j]] < created[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
			printf "%s: the rollout of %d workers took %.1f s, the first new task %.1f s after the command\n\n", \
				which, n, t1 - t0, created[order[1]] - t0
			print "| batch | nodes | new task to its container (pull, create) | new task to the old one\047s SIGTERM | SIGTERM to exit | exit to start | start to healthy | to the next batch | batch |"
			print "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
			for (b = 1; 2 * b - 1 <= n; b++) {
				a = order[2 * b - 1]; c = (2 * b <= n) ? order[2 * b] : a
				ready = max(max(create[a], die[a]), max(create[c], die[c]))
				up = (a in healthy) ? max(healthy[a], healthy[c]) : max(start[a], start[c])
				next_batch = (2 * b + 1 <= n) ? created[order[2 * b + 1]] : t1
				col[1] = max(create[a] - created[a], create[c] - created[c])
				col[2] = min(kill[a], kill[c]) - min(created[a], created[c])
				col[3] = max(die[a], die[c]) - min(kill[a], kill[c])
				col[4] = max(start[a], start[c]) - ready
				col[5] = (a in healthy) ? up - max(start[a], start[c]) : 0
				col[6] = next_batch - up
				col[7] = next_batch - min(created[a], created[c])
				printf "| %d | %s, %s | %.1f s | %.1f s | %.1f s | %.1f s | %s | %.1f s | %.1f s |\n", b, node[a], node[c],
					col[1], col[2], col[3], col[4], (a in healthy) ? sprintf("%.1f s", col[5]) : "no check", col[6], col[7]
				for (k = 1; k <= 7; k++) sum[k] += col[k]
			}
			printf "| sum | | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s |\n\n", sum[1], sum[2], sum[3], \
				sum[4], sum[5], sum[6], sum[7]
			# A node pulls v0.01 the first time one of its tasks needs it: its first pull
			# after that task was created.
			printf "Each node'\''s first pull of v0.01, from its first new task:"
			for (i = 1; i <= n; i++) {
				s = order[i]; nd = node[s]
				if (nd in first) continue
				first[nd] = 1; m = split(pulls[nd], p, " "); done = 0
				for (k = 1; k <= m; k++) if (p[k] >= created[s] && (!done || p[k] < done)) done = p[k]
				if (done) printf " %s %.1f s;", nd, done - created[s]
				else printf " %s none (it had v0.01: it pushed it);", nd
			}
			print ""
		}
		function max(x, y) { return x > y ? x : y }
		function min(x, y) { return x < y ? x : y }'
	# The compressed bytes a node pulls for v0.01 that v0.1 does not have.
	local repo=$([[ $which == ours ]] && echo dockercoins_worker || echo worker)
	layers() {
		docker exec dockercoins-node1 curl -s -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
			"localhost:5000/v2/$repo/manifests/$1" | jq -r '.layers[] | "\(.digest) \(.size)"'
	}
	echo "New layers of v0.01: $(comm -13 <(layers v0.1 | sort) <(layers v0.01 | sort) |
		awk '{ n++; b += $2 } END { printf "%d, %.3f MB compressed", n, b / 1e6 }')"
	echo
}

case ${1:-both} in
ours | original) measure "$1" ;;
both) measure ours && measure original ;;
*) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p' >&2; exit 2 ;;
esac

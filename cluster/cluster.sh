#!/usr/bin/env bash
# A Swarm cluster on one machine, for the workshop's multi-node part without cloud VMs
# (docs/workshop.md, "On a cluster"): N docker:dind containers, dockercoins-node1 to
# dockercoins-nodeN, with host names node1 to nodeN, joined in one swarm that node1 manages,
# and a registry that every node reaches as localhost:5000 and 127.0.0.1:5000, the names of
# the workshop's commands and of stack.yml's images.
#
#   cluster/cluster.sh up [N]          N nodes, 3 by default; then prints what to export
#   cluster/cluster.sh load IMAGE...   copies images from this machine's engine into node1
#   cluster/cluster.sh down            removes the nodes, the registry, their volumes, the network
#
# node1's Docker API is published on 127.0.0.1:2375 (CLUSTER_API_PORT), its ports 8000 and
# 9090 (the web UI, Prometheus) on the same ports of 127.0.0.1. The nodes run --privileged,
# as docker:dind needs; CLUSTER_NODE_OPTIONS replaces that flag (the tests give a capability
# set on a machine that refuses --privileged).
set -euo pipefail

network=dockercoins-cluster
registry=dockercoins-registry
label=dockercoins.cluster
api_port=${CLUSTER_API_PORT:-2375}
read -ra node_options <<<"${CLUSTER_NODE_OPTIONS:---privileged}"

address() { # container: its address on the cluster's network
	docker inspect --format "{{(index .NetworkSettings.Networks \"$network\").IPAddress}}" "$1"
}

up() {
	local nodes=${1:-3} i node token
	if [[ -n $(docker ps -aq --filter "label=$label") ]]; then
		echo "A cluster is already there (docker ps --filter label=$label): $0 down first" >&2
		exit 1
	fi
	docker network create --label "$label" "$network" >/dev/null
	docker run -d --name "$registry" --label "$label" --network "$network" registry:2 >/dev/null
	for i in $(seq "$nodes"); do
		# node1 publishes what a user reaches from this machine.
		local published=()
		((i > 1)) || published=(-p "127.0.0.1:$api_port:2375" -p 127.0.0.1:8000:8000 -p 127.0.0.1:9090:9090)
		# DOCKER_TLS_CERTDIR empty and --tls=false: the API on tcp 2375, without TLS (loopback only).
		docker run -d --name "dockercoins-node$i" --hostname "node$i" --label "$label" --network "$network" \
			"${node_options[@]}" "${published[@]}" --sysctl net.ipv4.conf.all.route_localnet=1 \
			-e DOCKER_TLS_CERTDIR= docker:dind --tls=false >/dev/null
	done
	for i in $(seq "$nodes"); do
		node=dockercoins-node$i
		for attempt in $(seq 120); do
			docker exec "$node" docker info >/dev/null 2>&1 && break
			((attempt < 120)) || { docker logs --tail 20 "$node"; echo "$node: no dockerd after 60 s" >&2; exit 1; }
			sleep 0.5
		done
		# The node's own 127.0.0.1:5000 is forwarded to the registry (route_localnet lets a
		# packet from 127.0.0.1 leave the node; the registry answers the node's address).
		docker exec "$node" sh -c "
			iptables -t nat -A OUTPUT -p tcp -d 127.0.0.1 --dport 5000 -j DNAT --to-destination $(address "$registry"):5000 &&
			iptables -t nat -A POSTROUTING -p tcp -s 127.0.0.1 --dport 5000 -j MASQUERADE"
	done
	docker exec dockercoins-node1 docker swarm init --advertise-addr "$(address dockercoins-node1)" >/dev/null
	token=$(docker exec dockercoins-node1 docker swarm join-token -q worker)
	for i in $(seq 2 "$nodes"); do
		docker exec "dockercoins-node$i" docker swarm join --token "$token" "$(address dockercoins-node1):2377" >/dev/null
	done
	cat <<-EOF
		$nodes nodes in one swarm (node1 manages it), each reaching the registry as localhost:5000.
		Point your docker commands at node1, then try docker node ls:
		  export DOCKER_HOST=tcp://127.0.0.1:$api_port
		The web UI, once deployed: http://localhost:8000/. Remove it all: $0 down
	EOF
}

load() { # the images of this machine's engine, into node1's
	docker save "$@" | docker exec -i dockercoins-node1 docker load
}

down() {
	local containers
	containers=$(docker ps -aq --filter "label=$label")
	# With their anonymous volumes: each node's /var/lib/docker, the registry's storage.
	[[ -z $containers ]] || docker rm -fv $containers >/dev/null
	docker network rm "$network" >/dev/null 2>&1 || true
}

# The nodes are containers of this machine's engine, whatever DOCKER_HOST says.
unset DOCKER_HOST
case ${1:-} in
up) up "${@:2}" ;;
load) load "${@:2}" ;;
down) down ;;
*) sed -n '2,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p' >&2; exit 2 ;;
esac

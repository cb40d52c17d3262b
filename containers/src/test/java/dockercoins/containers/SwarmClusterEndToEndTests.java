package dockercoins.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dockercoins.testsupport.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Swarm walk-through on a cluster of three nodes (docs/workshop.md, "On a cluster"),
 * brought up by {@code cluster/cluster.sh} as docker:dind containers of this machine's
 * engine, with a user's commands pointed at node1: the images pushed from node1 to the
 * cluster's registry and pulled by the other nodes, the stack spread over the nodes at
 * the speed of one node, the seed's rollout of its worker v0.01 across them and its
 * rollback (steps 8 to 10 of the walk-through, run here rather than on one node too), a
 * node drained with every unit of work counted, and a node lost. Each step prints its
 * figure.
 */
// After SwarmEndToEndTests, whose one-node speed step 5 compares with.
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmClusterEndToEndTests {

	private static final String STACK = "dockercoins";

	private static final List<String> NODES = List.of("node1", "node2", "node3");

	/** node1's API, as cluster.sh publishes it and tells a user to export it. */
	private static final Map<String, String> NODE1 = Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375");

	/**
	 * Instead of --privileged, which this machine refuses: the capability set of
	 * ../shared/container-engine/README.md, which works where --privileged does too.
	 */
	private static final Map<String, String> UNPRIVILEGED = Map.of("CLUSTER_NODE_OPTIONS",
			"--cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined "
					+ "--security-opt apparmor=unconfined --security-opt systempaths=unconfined "
					+ "-v /sys/fs/cgroup:/sys/fs/cgroup:rw");

	private static final Path RESOURCES = Path.of("src/test/resources").toAbsolutePath();

	private static final WebUi webui = new WebUi(8000);

	private static WorkerLogs workers;

	/** Without IPVS, the stack is deployed with override files (see their comments). */
	private static boolean withoutIpvs;

	@BeforeAll
	static void bringUpTheCluster() {
		Images.build();
		for (String image : List.of("redis:8", "registry:2", "docker:dind")) {
			Images.require(image);
		}
		// A run cut short leaves its cluster; one down removes it.
		cluster("down");
		Docker.requireFreePorts(2375, 8000, 9090);
		withoutIpvs = !Files.exists(Path.of("/proc/net/ip_vs"));
		long start = System.nanoTime();
		cluster("up");
		System.out.printf("cluster.sh up: 3 nodes in one swarm in %.0f s%n", since(start));
		Map<String, String> engines = new LinkedHashMap<>();
		for (String node : NODES) {
			engines.put(node,
					"tcp://" + Docker.run("docker", "inspect", "--format",
							"{{(index .NetworkSettings.Networks \"dockercoins-cluster\").IPAddress}}", container(node))
						.strip() + ":2375");
		}
		workers = new WorkerLogs(STACK + "_worker", engines);
	}

	@AfterAll
	static void bringItDown() {
		if (workers != null) {
			workers.close();
		}
		cluster("down");
		assertThat(Docker.lines("docker", "ps", "-aq", "--filter", "label=dockercoins.cluster")).isEmpty();
		assertThat(Docker.lines("docker", "network", "ls", "-q", "--filter", "name=dockercoins-cluster")).isEmpty();
	}

	@Test
	@Order(1)
	void joinsThreeNodesInOneSwarm() {
		List<String> nodes = onNode1("docker", "node", "ls", "--format",
				"{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}")
			.lines()
			.map(String::strip)
			.sorted()
			.toList();
		System.out.println(String.join("\n", nodes));
		assertThat(nodes).containsExactly("node1 Ready Active Leader", "node2 Ready Active", "node3 Ready Active");
	}

	@Test
	@Order(2)
	void pushesTheImagesFromNode1ToTheClusterRegistry() {
		long start = System.nanoTime();
		List<String> load = new ArrayList<>(List.of("load", "redis:8"));
		Images.SERVICES.stream().map(Images::name).forEach(load::add);
		// What node1 would pull from Docker Hub on a user's machine, or build itself.
		cluster(load.toArray(String[]::new));
		System.out.printf("Loaded the images into node1 in %.0f s%n", since(start));
		start = System.nanoTime();
		for (String service : Images.SERVICES) {
			String image = "localhost:5000/dockercoins_" + service + ":v0.1";
			onNode1("docker", "tag", Images.name(service), image);
			onNode1("docker", "push", image);
		}
		System.out.printf("Pushed the four images from node1 in %.0f s%n", since(start));
		assertThat(Docker.run("docker", "exec", container("node2"), "curl", "-s", "localhost:5000/v2/_catalog"))
			.contains("dockercoins_rng", "dockercoins_hasher", "dockercoins_worker", "dockercoins_webui");
	}

	@Test
	@Order(3)
	void deploysWithEachReplicatedServiceOnTwoNodesOrMore() {
		long start = System.nanoTime();
		List<String> command = new ArrayList<>(List.of("docker", "stack", "deploy", "-c", "stack.yml"));
		if (withoutIpvs) {
			for (String override : List.of("swarm-without-ipvs.yml", "swarm-cluster-without-ipvs.yml")) {
				command.addAll(List.of("-c", RESOURCES.resolve(override).toString()));
			}
		}
		command.add(STACK);
		Docker.run(Docker.REPOSITORY, NODE1, command);
		Map<String, Integer> replicas = Map.of("rng", 5, "hasher", 1, "webui", 1, "redis", 1, "worker", 10);
		await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			for (String line : onNode1("docker", "stack", "services", STACK, "--format", "{{.Name}} {{.Replicas}}")
				.lines()
				.toList()) {
				String[] nameAndReplicas = line.split(" ");
				int wanted = replicas.get(nameAndReplicas[0].substring(STACK.length() + 1));
				if (!nameAndReplicas[1].equals(wanted + "/" + wanted)) {
					return false;
				}
			}
			return true;
		});
		System.out.printf("The stack converged on 3 nodes in %.0f s%n", since(start));
		List<String> failed = onNode1("docker", "stack", "ps", STACK, "--no-trunc", "--format",
				"{{.Name}} {{.CurrentState}} {{.Error}}")
			.lines()
			.filter((task) -> task.contains("Failed") || task.contains("Rejected") || task.contains("unhealthy"))
			.toList();
		assertThat(failed).isEmpty();
		Map<String, Map<String, Long>> spread = runningTasks();
		System.out.println("Running tasks by service and node: " + spread);
		System.out.println("Tasks by node: " + spread.values()
			.stream()
			.flatMap((nodes) -> nodes.entrySet().stream())
			.collect(Collectors.groupingBy(Map.Entry::getKey, TreeMap::new,
					Collectors.summingLong(Map.Entry::getValue))));
		replicas.forEach((service, count) -> {
			if (count >= 2) {
				assertThat(spread.get(service)).as("the nodes of %s's tasks", service).hasSizeGreaterThanOrEqualTo(2);
			}
		});
	}

	@Test
	@Order(4)
	void theRegistrysImagesReachEveryNode() {
		// Every node pulled the images of its tasks from the registry: only node1 was
		// given
		// any, and no node reaches a public registry here.
		Map<String, Set<String>> images = new TreeMap<>();
		for (String line : onNode1("docker", "stack", "ps", STACK, "--filter", "desired-state=running", "--format",
				"{{.Node}} {{.Image}}")
			.lines()
			.toList()) {
			String[] nodeAndImage = line.split(" ");
			// Swarm pulls by digest: the node's image has its repository, not its tag.
			images.computeIfAbsent(nodeAndImage[0], (node) -> new TreeSet<>())
				.add(nodeAndImage[1].replaceAll("[@:][^/]*$", ""));
		}
		System.out.println("Repositories of the running tasks by node: " + images);
		assertThat(images).containsOnlyKeys(NODES);
		images.forEach((node, expected) -> assertThat(
				Docker.lines("docker", "exec", container(node), "docker", "image", "ls", "--format", "{{.Repository}}"))
			.as("the images on %s", node)
			.containsAll(expected));
		// The other name a node has for the registry, as the original's stack file uses
		// it.
		for (String node : NODES.subList(1, NODES.size())) {
			Docker.run("docker", "exec", container(node), "docker", "pull", "127.0.0.1:5000/dockercoins_hasher:v0.1");
		}
	}

	@Test
	@Order(5)
	void tenWorkersAndFiveRngMineWithin5PercentOfOneNode() throws InterruptedException {
		double rate = OneNodeRate.measure(webui);
		double oneNode = OneNodeRate.get();
		System.out.printf("10 workers, 5 rng: %.2f h/s on 3 nodes, %.2f on one node in this run%n", rate, oneNode);
		RequiredTools.require(!Double.isNaN(oneNode),
				"The one-node figure comes from SwarmEndToEndTests' step 4, in the same run: run both classes");
		assertThat(rate).isCloseTo(oneNode, Percentage.withPercentage(5));
	}

	/**
	 * The seed's step, its commands as they are: {@code docker build -t
	 * localhost:5000/dockercoins_worker:v0.01 worker}, without
	 * {@code --build-arg VERSION}, so the image says v0.1 as the one it replaces; its
	 * build (a digest of its sources) tells it apart. Built on this machine, whose
	 * builder's cache has the dependencies, then loaded into node1 and pushed from there.
	 */
	@Test
	@Order(6)
	void buildsWorkerV001AsTheSeedDoesAndPushesItFromNode1() throws IOException {
		long start = System.nanoTime();
		Path clone = Files.createTempDirectory("cluster-").resolve("worker");
		Images.copyBuildContext("worker", clone);
		Images.shortenTheWorkersSleep(clone);
		Docker.run(clone.getParent(), Map.of(),
				List.of("docker", "build", "-t", "localhost:5000/dockercoins_worker:v0.01", "worker"));
		cluster("load", "localhost:5000/dockercoins_worker:v0.01");
		onNode1("docker", "push", "localhost:5000/dockercoins_worker:v0.01");
		Docker.run("docker", "image", "rm", "localhost:5000/dockercoins_worker:v0.01");
		System.out.printf("Built worker v0.01 and pushed it from node1 in %.0f s%n", since(start));
	}

	@Test
	@Order(7)
	void rollsOutAcrossTheNodesShowingBothBuildsThenRollsBack() throws InterruptedException {
		String before = onlyBuild(webui.builds());
		long start = System.nanoTime();
		Set<Map<String, Integer>> seen = webui
			.buildsWhile(() -> onNode1("docker", "service", "update", "--update-parallelism", "2", "--update-delay",
					"5s", "--image", "localhost:5000/dockercoins_worker:v0.01", STACK + "_worker"));
		double converged = since(start);
		// The command returns once the tasks run; the update is complete once the last
		// ones have been watched for stack.yml's monitor period.
		await().atMost(Duration.ofMinutes(1))
			.until(() -> onNode1("docker", "service", "inspect", "--format", "{{.UpdateStatus.State}}",
					STACK + "_worker")
				.strip(), "completed"::equals);
		System.out.printf(
				"The rollout of v0.01: the update command returned after %.0f s, the update was "
						+ "completed after %.0f s; tasks of v0.01 by node: %s%n",
				converged, since(start), runningTasks().get("worker"));
		assertThat(seen).as("/fleet.json during the rollout").anyMatch(SwarmClusterEndToEndTests::twoBuildsOfV01);
		await().atMost(Duration.ofMinutes(1))
			.until(webui::builds,
					(builds) -> builds.size() == 1 && !builds.containsKey(before) && builds.containsValue(10));
		String after = onlyBuild(webui.builds());
		assertThat(after).startsWith("v0.1 ");
		assertThat(webui.steadyRate()).as("after the rollout")
			.isGreaterThanOrEqualTo(WebUi.AT_10_MS * webui.withoutAQueueAtRng(Duration.ofMillis(10)));

		start = System.nanoTime();
		seen = webui.buildsWhile(() -> onNode1("docker", "service", "rollback", STACK + "_worker"));
		await().atMost(Duration.ofMinutes(3)).until(() -> webui.builds().equals(Map.of(before, 10)));
		System.out.printf("The rollback: v0.1's build alone again after %.0f s%n", since(start));
		assertThat(seen).as("/fleet.json during the rollback")
			.anyMatch((builds) -> builds.keySet().equals(Set.of(after, before)));
	}

	@Test
	@Order(8)
	void drainsANodeWhoseWorkersStopAndMoveWithEveryUnitOfWorkCounted() {
		List<String> drained = Docker.lines("docker", "-H", engine("node3"), "ps", "-q", "--no-trunc", "--filter",
				"label=com.docker.swarm.service.name=" + STACK + "_worker");
		assertThat(drained).as("node3's workers").isNotEmpty();
		long start = System.nanoTime();
		onNode1("docker", "node", "update", "--availability", "drain", "node3");
		await().atMost(Duration.ofMinutes(2))
			.until(() -> Docker
				.lines("docker", "-H", engine("node3"), "ps", "-q", "--filter",
						"label=com.docker.swarm.service.name=" + STACK + "_worker")
				.isEmpty() && webui.versions().equals(Map.of("v0.1", 10)));
		// Stopped with SIGTERM: a worker killed would not write its last line.
		long lastLines = drained.stream().mapToLong((container) -> workers.unitsOfWorkDone("node3", container)).sum();
		System.out.printf(
				"node3 drained: its %d workers stopped, %d units of work in their last lines, "
						+ "and 10 workers mine on node1 and node2, after %.0f s%n",
				drained.size(), lastLines, since(start));

		// Every worker stopped, every worker process that ran on the cluster accounts for
		// what it did, exactly.
		onNode1("docker", "service", "scale", STACK + "_worker=0");
		long units = workers.unitsOfWorkDone();
		long hashes = webui.hashes();
		System.out.printf("%d worker processes ran; their last lines add up to %d units of work; hashes is %d%n",
				workers.size(), units, hashes);
		assertThat(workers.size()).as("the worker processes that ran").isGreaterThanOrEqualTo(20 + drained.size());
		assertThat(hashes).isEqualTo(units);

		onNode1("docker", "node", "update", "--availability", "active", "node3");
		onNode1("docker", "service", "scale", STACK + "_worker=10");
		webui.awaitVersions(Map.of("v0.1", 10));
	}

	@Test
	@Order(9)
	void losesANodeAndMinesAt90PercentWithin60SecondsWithRedisIntact() throws InterruptedException {
		assertThat(runningTasks().get("worker")).as("the workers by node").containsKey("node3");
		Thread.sleep(Duration.ofSeconds(10));
		double before = webui.steadyRate();
		String redis = redisContainer();
		long hashes = webui.hashes();
		long killed = System.nanoTime();
		Docker.run("docker", "kill", container("node3"));
		double rate = 0;
		double down = Double.NaN;
		while (rate < 0.9 * before && since(killed) < 60) {
			rate = webui.rate(Duration.ofSeconds(5));
			if (Double.isNaN(down) && node3IsDown()) {
				down = since(killed);
			}
		}
		double back = since(killed);
		System.out.printf("node3 killed: %.2f h/s (%.0f%% of %.2f) %.0f s later%n", rate, 100 * rate / before, before,
				back);
		assertThat(rate).isGreaterThanOrEqualTo(0.9 * before);
		assertThat(back).isLessThanOrEqualTo(60);
		assertThat(redisContainer()).as("Redis's container on node1").isEqualTo(redis);
		assertThat(webui.hashes()).as("hashes after the loss").isGreaterThan(hashes);
		if (Double.isNaN(down)) {
			await().atMost(Duration.ofMinutes(1)).until(SwarmClusterEndToEndTests::node3IsDown);
			down = since(killed);
		}
		System.out.printf("Swarm saw node3 Down within %.0f s of the kill%n", down);
	}

	private static boolean node3IsDown() {
		return onNode1("docker", "node", "ls", "--filter", "name=node3", "--format", "{{.Status}}").strip()
			.equals("Down");
	}

	/** Runs a command of the cluster's script, on this machine's engine. */
	private static void cluster(String... arguments) {
		List<String> command = new ArrayList<>(List.of("bash", "cluster/cluster.sh"));
		command.addAll(List.of(arguments));
		Docker.run(Docker.REPOSITORY, UNPRIVILEGED, command);
	}

	/** Runs a docker command on node1, as a user who exported what cluster.sh said. */
	private static String onNode1(String... command) {
		return Docker.run(Docker.REPOSITORY, NODE1, List.of(command));
	}

	private static String container(String node) {
		return "dockercoins-" + node;
	}

	/** A node's API, on its address on the cluster's network. */
	private static String engine(String node) {
		return "tcp://" + Docker
			.run("docker", "inspect", "--format",
					"{{(index .NetworkSettings.Networks \"dockercoins-cluster\").IPAddress}}", container(node))
			.strip() + ":2375";
	}

	/** The running tasks' count by service and node. */
	private static Map<String, Map<String, Long>> runningTasks() {
		return onNode1("docker", "stack", "ps", STACK, "--filter", "desired-state=running", "--format",
				"{{.Name}} {{.Node}} {{.CurrentState}}")
			.lines()
			.map((line) -> line.split(" "))
			.filter((task) -> task[2].equals("Running"))
			.collect(Collectors.groupingBy((task) -> task[0].substring(STACK.length() + 1).replaceAll("\\..*", ""),
					TreeMap::new, Collectors.groupingBy((task) -> task[1], TreeMap::new, Collectors.counting())));
	}

	private static String redisContainer() {
		return Docker
			.run("docker", "-H", engine("node1"), "ps", "-q", "--no-trunc", "--filter",
					"label=com.docker.swarm.service.name=" + STACK + "_redis")
			.strip();
	}

	private static double since(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

	/** Two builds of v0.1 side by side: the one rolled out and the one it replaces. */
	private static boolean twoBuildsOfV01(Map<String, Integer> builds) {
		return builds.size() == 2 && builds.keySet().stream().allMatch((build) -> build.startsWith("v0.1 "));
	}

	/** The one version and build of the fleet's ten workers. */
	private static String onlyBuild(Map<String, Integer> builds) {
		assertThat(builds).hasSize(1).containsValue(10);
		return builds.keySet().iterator().next();
	}

}

package dockercoins.containers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Swarm walk-through of docs/workshop.md on a one-node Swarm, step by step, with its
 * own commands: the registry, build and push through stack.yml, the deployment, scaling
 * to the bottleneck and past it, a rolling update and its rollback, a change through the
 * environment, an automatic rollback, a redeployment that keeps the counters, the Redis
 * password and Prometheus. Each step asserts the figure the walk-through gives.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmEndToEndTests {

	private static final String STACK = "dockercoins";

	private static final WebUi webui = new WebUi(8000);

	private static final Path RESOURCES = Path.of("src/test/resources").toAbsolutePath();

	/** The files deployed on top of the stack's files where the kernel has no IPVS. */
	private static final Map<String, String> WITHOUT_IPVS = Map.of("stack.yml", "swarm-without-ipvs.yml",
			"stack-prometheus.yml", "swarm-without-ipvs-prometheus.yml");

	/** Where the tests build from: a copy of the repository, which step 8 edits. */
	private static Path clone;

	private static boolean createdTheSwarm;

	/** Without IPVS, the stack is deployed with an override file (see its comment). */
	private static boolean withoutIpvs;

	@BeforeAll
	static void joinASwarm() throws IOException {
		Images.build();
		clone = Files.createDirectories(Files.createTempDirectory("swarm-").resolve("dockercoins"));
		for (String file : List.of("stack.yml", "stack-password.yml", "stack-prometheus.yml", "prometheus")) {
			Docker.copy(Docker.REPOSITORY.resolve(file), clone.resolve(file));
		}
		for (String service : Images.SERVICES) {
			for (String part : List.of("Dockerfile", "pom.xml", "jvm.options", "src")) {
				Docker.copy(Docker.REPOSITORY.resolve(service).resolve(part), clone.resolve(service).resolve(part));
			}
		}
		if (Docker.run("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").strip().equals("inactive")) {
			// Where swarm init cannot pick an address itself, the machine's own.
			Command init = Docker.attempt("docker", "swarm", "init");
			if (init.exitCode() != 0) {
				String address = Docker.run("hostname", "-I").strip().split("\\s+")[0];
				Docker.run("docker", "swarm", "init", "--advertise-addr", address);
			}
			createdTheSwarm = true;
		}
		removeLeftovers();
		Docker.requireFreePorts(8000, 5000, 9090);
		withoutIpvs = !Files.exists(Path.of("/proc/net/ip_vs"));
		if (withoutIpvs) {
			System.out.println("This kernel has no IPVS (no /proc/net/ip_vs): Swarm's virtual IPs and routing mesh "
					+ "do not work here, so the stack is deployed with swarm-without-ipvs.yml (DNS round robin, "
					+ "the web UI and the registry published in host mode).");
		}
	}

	@AfterAll
	static void leave() {
		removeLeftovers();
		if (createdTheSwarm) {
			Docker.run("docker", "swarm", "leave", "--force");
		}
	}

	@Test
	@Order(1)
	void registryStartsEmpty() {
		String publish = withoutIpvs ? "mode=host,target=5000,published=5000" : "5000:5000";
		Docker.run("docker", "service", "create", "--name", "registry", "--publish", publish, "registry:2");
		await().atMost(Duration.ofMinutes(1))
			.ignoreExceptions()
			.until(() -> http("http://127.0.0.1:5000/v2/_catalog"),
					(catalog) -> catalog.strip().equals("{\"repositories\":[]}"));
	}

	@Test
	@Order(2)
	void buildsAndPushesTheFourImagesThroughStackYml() {
		compose(Map.of(), "-f", "stack.yml", "build");
		compose(Map.of(), "-f", "stack.yml", "push");
		assertThat(http("http://127.0.0.1:5000/v2/_catalog")).contains("dockercoins_rng", "dockercoins_hasher",
				"dockercoins_worker", "dockercoins_webui");
	}

	@Test
	@Order(3)
	void deploysAndConvergesWithoutAFailedTask() {
		long start = System.nanoTime();
		deploy("stack.yml");
		awaitReplicas(Map.of("rng", 5, "hasher", 1, "webui", 1, "redis", 1, "worker", 10), Duration.ofSeconds(120));
		System.out.printf("The stack converged in %.0f s%n", (System.nanoTime() - start) / 1e9);
		assertThat(failedTasks()).isEmpty();
	}

	@Test
	@Order(4)
	void tenWorkersAndFiveRngMineAtLeast28HashesPerSecond() throws Exception {
		awaitWorkers(Map.of("v0.1", 10));
		// The 17 JVMs have only just started: their first requests and compilations share
		// the 2 cores for some seconds more than a few new workers' do.
		Thread.sleep(Duration.ofSeconds(10));
		assertThat(steadyRate()).isGreaterThanOrEqualTo(28);
	}

	@Test
	@Order(5)
	void workersHitTheCeilingOfOneRng() throws Exception {
		scale("rng=1", "worker=1");
		awaitWorkers(Map.of("v0.1", 1));
		assertThat(steadyRate()).isBetween(2.8, 3.6);
		scale("worker=2");
		awaitWorkers(Map.of("v0.1", 2));
		assertThat(steadyRate()).isBetween(5.7, 7.2);
		scale("worker=10");
		awaitWorkers(Map.of("v0.1", 10));
		assertThat(steadyRate()).isBetween(8.5, 10.5);
	}

	@Test
	@Order(6)
	void aContainerOnTheNetworkFindsTheBottleneck() {
		List<String> dc = List.of("docker", "run", "--rm", "--network", STACK + "_default", "--entrypoint", "curl",
				"localhost:5000/dockercoins_webui:v0.1", "-s");
		double rng = Double.parseDouble(dockerRun(dc, "-o", "/dev/null", "-w", "%{time_total}", "http://rng/"));
		double hasher = Double.parseDouble(dockerRun(dc, "-o", "/dev/null", "-w", "%{time_total}", "http://hasher/"));
		System.out.printf("rng answers in %.3f s, hasher in %.3f s%n", rng, hasher);
		assertThat(rng).isGreaterThanOrEqualTo(0.5);
		assertThat(hasher).isLessThan(0.05);
		double waiting = metric(dockerRun(dc, "http://rng/actuator/prometheus"), "dockercoins_requests_waiting");
		// The page's "Where the time goes": the workers' mean time per step over the last
		// 10 s (a worker's own counters would add up its whole life, 5 rng included).
		String fleet = webui.get("fleet.json");
		double rngStep = step(fleet, "rng");
		double hasherStep = step(fleet, "hasher");
		System.out.printf("%.0f requests waiting at rng; rng takes %.2f s of a loop, hasher %.2f s%n", waiting, rngStep,
				hasherStep);
		// Of 10 workers whose loops spend about 0.7 s of 1 s waiting at rng, about 7.
		assertThat(waiting).isGreaterThanOrEqualTo(3);
		assertThat(rngStep / hasherStep).isGreaterThan(4);
	}

	@Test
	@Order(7)
	void fiveRngMineAtLeast28HashesPerSecondWithin15Seconds() throws Exception {
		scale("rng=5");
		long scaled = System.nanoTime();
		Thread.sleep(Duration.ofSeconds(3));
		double rate = webui.rate(Duration.ofSeconds(10));
		assertThat(Duration.ofNanos(System.nanoTime() - scaled)).isLessThanOrEqualTo(Duration.ofSeconds(15));
		assertThat(rate).isGreaterThanOrEqualTo(28);
	}

	@Test
	@Order(8)
	void buildsWorkerV001WithAShorterSleep() throws IOException {
		Path properties = clone.resolve("worker/src/main/java/dockercoins/worker/WorkerProperties.java");
		String source = Files.readString(properties);
		String edited = source.replace("@DefaultValue(\"100ms\") @DurationMin(millis = 0) Duration sleep",
				"@DefaultValue(\"10ms\") @DurationMin(millis = 0) Duration sleep");
		assertThat(edited).as("the line step 8 of the walk-through edits").isNotEqualTo(source);
		Files.writeString(properties, edited);
		compose(Map.of("TAG", "v0.01"), "-f", "stack.yml", "build", "worker");
		compose(Map.of("TAG", "v0.01"), "-f", "stack.yml", "push", "worker");
	}

	@Test
	@Order(9)
	void rollsOutTwoAtATimeShowingBothVersionsThenMinesAtLeast40() throws Exception {
		Set<Map<String, Integer>> seen = ConcurrentHashMap.newKeySet();
		CompletableFuture<String> update = CompletableFuture
			.supplyAsync(() -> Docker.run("docker", "service", "update", "--update-parallelism", "2", "--update-delay",
					"5s", "--image", "localhost:5000/dockercoins_worker:v0.01", STACK + "_worker"));
		while (!update.isDone()) {
			seen.add(webui.versions());
			Thread.sleep(500);
		}
		update.join();
		assertThat(seen).anyMatch((versions) -> versions.keySet().equals(Set.of("v0.1", "v0.01")));
		awaitWorkers(Map.of("v0.01", 10));
		assertThat(steadyRate()).isGreaterThanOrEqualTo(40);
	}

	@Test
	@Order(10)
	void rollsBackToV01Only() throws Exception {
		Docker.run("docker", "service", "rollback", STACK + "_worker");
		awaitWorkers(Map.of("v0.1", 10));
		assertThat(steadyRate()).isGreaterThanOrEqualTo(28);
	}

	@Test
	@Order(11)
	void shortensTheSleepThroughTheEnvironment() throws Exception {
		Docker.run("docker", "service", "update", "--env-add", "WORKER_SLEEP=10ms", STACK + "_worker");
		await().atMost(Duration.ofMinutes(3))
			.until(() -> webui.get("fleet.json").contains("\"sleep\":\"10ms\"")
					&& !webui.get("fleet.json").contains("\"sleep\":\"100ms\"")
					&& webui.versions().equals(Map.of("v0.1", 10)));
		assertThat(steadyRate()).isGreaterThanOrEqualTo(40);
		// The undo, in the background: step 13 deploys the stack afresh anyway.
		Docker.run("docker", "service", "update", "--detach", "--env-rm", "WORKER_SLEEP", STACK + "_worker");
	}

	@Test
	@Order(12)
	void rollsBackAHasherThatFailsItsHealthCheck() {
		Docker.run("docker", "service", "update", "--detach", "--env-add", "SERVER_PORT=81", STACK + "_hasher");
		long start = System.nanoTime();
		await().atMost(Duration.ofMinutes(4))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> Docker
				.run("docker", "service", "inspect", "--format", "{{.UpdateStatus.State}}", STACK + "_hasher")
				.strip(), (state) -> state.equals("rollback_completed"));
		System.out.printf("rollback_completed after %.0f s%n", (System.nanoTime() - start) / 1e9);
		long hashes = webui.hashes();
		await().atMost(Duration.ofSeconds(30)).until(() -> webui.hashes() > hashes);
	}

	@Test
	@Order(13)
	void redeploysWithAPasswordAndPrometheusKeepingTheCounters() throws Exception {
		awaitWorkers(Map.of("v0.1", 10));
		long before = webui.hashes();
		Docker.run("docker", "stack", "rm", STACK);
		awaitStackGone();
		Docker.run(Docker.REPOSITORY, Map.of(),
				List.of("sh", "-c", "openssl rand -hex 16 | docker secret create redis_password -"));
		deploy("stack.yml", "stack-password.yml", "stack-prometheus.yml");
		awaitReplicas(Map.of("rng", 5, "hasher", 1, "webui", 1, "redis", 1, "worker", 10, "prometheus", 1),
				Duration.ofSeconds(180));
		awaitWorkers(Map.of("v0.1", 10));
		assertThat(webui.hashes()).as("hashes after the redeployment").isGreaterThan(before);
		String redis = Docker.run("docker", "ps", "-q", "--filter", "name=" + STACK + "_redis").strip();
		Command unauthenticated = Docker.attempt("docker", "exec", redis, "redis-cli", "get", "hashes");
		assertThat(unauthenticated.output() + unauthenticated.errors()).contains("NOAUTH");
		// Prometheus scrapes every task, each up, and sees the speed the web UI shows.
		await().atMost(Duration.ofMinutes(2))
			.ignoreExceptions()
			.until(() -> prometheus("count(up == 1)"), (up) -> up == 17);
		Thread.sleep(Duration.ofSeconds(20));
		double fromWebui = webui.rate(Duration.ofSeconds(20));
		double fromPrometheus = prometheus("sum(rate(dockercoins_hashes_total[20s]))");
		System.out.printf("Prometheus: %.1f hashes/second%n", fromPrometheus);
		assertThat(fromPrometheus).isCloseTo(fromWebui, org.assertj.core.data.Percentage.withPercentage(10));
	}

	private static void deploy(String... files) {
		List<String> command = new ArrayList<>(List.of("docker", "stack", "deploy"));
		for (String file : files) {
			command.addAll(List.of("-c", file));
			String override = WITHOUT_IPVS.get(file);
			if (withoutIpvs && override != null) {
				command.addAll(List.of("-c", RESOURCES.resolve(override).toString()));
			}
		}
		command.add(STACK);
		Docker.run(clone, Map.of(), command);
	}

	private static void scale(String... replicas) {
		List<String> command = new ArrayList<>(List.of("docker", "service", "scale"));
		for (String each : replicas) {
			command.add(STACK + "_" + each);
		}
		Docker.run(command.toArray(String[]::new));
	}

	private static void awaitReplicas(Map<String, Integer> expected, Duration timeout) {
		await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
			for (String line : Docker.lines("docker", "stack", "services", STACK, "--format",
					"{{.Name}} {{.Replicas}}")) {
				String[] nameAndReplicas = line.split(" ");
				int wanted = expected.getOrDefault(nameAndReplicas[0].substring(STACK.length() + 1), -1);
				if (!nameAndReplicas[1].equals(wanted + "/" + wanted)) {
					return false;
				}
			}
			return true;
		});
	}

	/** The tasks that failed or were rejected, with their errors. */
	private static List<String> failedTasks() {
		return Docker
			.lines("docker", "stack", "ps", STACK, "--no-trunc", "--format", "{{.Name}} {{.CurrentState}} {{.Error}}")
			.stream()
			.filter((task) -> task.contains("Failed") || task.contains("Rejected") || task.contains("unhealthy"))
			.toList();
	}

	private static void awaitWorkers(Map<String, Integer> versions) {
		await().atMost(Duration.ofMinutes(3)).until(() -> webui.versions().equals(versions));
	}

	/** The speed once the workers that just started have warmed up. */
	private static double steadyRate() throws InterruptedException {
		Thread.sleep(Duration.ofSeconds(5));
		return webui.rate(Duration.ofSeconds(15));
	}

	private static void awaitStackGone() {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> Docker.lines("docker", "ps", "-q", "--filter", "label=com.docker.stack.namespace=" + STACK)
				.isEmpty()
					&& Docker.lines("docker", "network", "ls", "-q", "--filter", "name=" + STACK + "_default")
						.isEmpty());
	}

	private static void removeLeftovers() {
		Docker.attempt("docker", "stack", "rm", STACK);
		Docker.attempt("docker", "service", "rm", "registry");
		awaitStackGone();
		Docker.attempt("docker", "secret", "rm", "redis_password");
		// The volume stays in use for a moment after its container is gone.
		String volume = STACK + "_redis-data";
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> !Docker.succeeds("docker", "volume", "inspect", volume)
					|| Docker.succeeds("docker", "volume", "rm", volume));
	}

	private static String compose(Map<String, String> environment, String... arguments) {
		List<String> command = new ArrayList<>(Docker.compose());
		command.addAll(List.of(arguments));
		return Docker.run(clone, environment, command);
	}

	private static String dockerRun(List<String> dc, String... arguments) {
		List<String> command = new ArrayList<>(dc);
		command.addAll(List.of(arguments));
		return Docker.run(command.toArray(String[]::new)).strip();
	}

	/** The sum of the samples of a metric whose line starts with {@code name}. */
	private static double metric(String metrics, String name) {
		Matcher matcher = Pattern.compile("(?m)^" + name + "[^ ]* (\\S+)$").matcher(metrics);
		double sum = 0;
		boolean found = false;
		while (matcher.find()) {
			sum += Double.parseDouble(matcher.group(1));
			found = true;
		}
		assertThat(found).as("%s in%n%s", name, metrics).isTrue();
		return sum;
	}

	/** A step's mean seconds in {@code /fleet.json}'s {@code steps}. */
	private static double step(String fleet, String step) {
		Matcher matcher = Pattern.compile("\"steps\":\\{[^}]*\"" + step + "\":([0-9.]+)").matcher(fleet);
		assertThat(matcher.find()).as("the %s step in %s", step, fleet).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static double prometheus(String query) {
		String answer = http("http://127.0.0.1:9090/api/v1/query?query="
				+ java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8));
		Matcher value = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(answer);
		assertThat(value.find()).as(answer).isTrue();
		double result = Double.parseDouble(value.group(1));
		assertThat(result).as(answer).isFinite();
		return result;
	}

	private static String http(String url) {
		URI uri = URI.create(url);
		return new WebUi(uri.getPort())
			.get(uri.getRawPath().substring(1) + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : ""));
	}

}

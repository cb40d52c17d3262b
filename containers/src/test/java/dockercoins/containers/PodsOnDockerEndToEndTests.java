package dockercoins.containers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dockercoins.containers.Manifests.Workload;
import dockercoins.containers.PodsOnDocker.Pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The pods of {@code k8s/} run on the Docker engine as the kubelet would run them: each
 * becomes ready on its probes, and together, under the Services' names, they mine at the
 * workshop's rate, scaled to the workers of {@code k8s/overlays/bottleneck}.
 */
class PodsOnDockerEndToEndTests {

	private static final List<String> JAVA_SERVICES = List.of("hasher", "rng", "webui", "worker");

	private static final Pattern HASHES = Pattern.compile("\"hashes\"\\s*:\\s*(\\d+)");

	private static final Pattern NOW = Pattern.compile("\"now\"\\s*:\\s*([0-9.]+)");

	private static final Pattern WORKERS = Pattern.compile("\"workers\"\\s*:\\s*(\\d+)");

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@BeforeAll
	static void requireEngine() {
		Command.requireKubectl();
		Docker.requireEngine();
	}

	@Test
	void podsBecomeReadyOnTheirProbesAndMineAtTheWorkshopsRate() throws Exception {
		Manifests manifests = Manifests.render("k8s");
		int bottleneck = Manifests.render("k8s/overlays/bottleneck").workload("worker").replicas();
		String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
		try (PodsOnDocker pods = new PodsOnDocker(manifests, Map.of("redis-password", Map.of("password", password)))) {
			long start = System.nanoTime();
			List<Pod> started = new ArrayList<>();
			for (Workload workload : manifests.workloads()) {
				for (int i = 0; i < workload.replicas(); i++) {
					started.add(pods.start(workload.name() + "-" + i, workload.template()));
				}
			}
			started.forEach((pod) -> pod.awaitReady(Duration.ofMinutes(3)));
			System.out.printf("[k8s figures] the %d pods of k8s/, started together, all ready after %.0f s%n",
					started.size(), (System.nanoTime() - start) / 1e9);
			for (Pod pod : started) {
				var container = template(manifests, pod).getSpec().getContainers().get(0);
				assertThat(pod.passes(container.getStartupProbe())).as("%s startup probe", pod.name()).isTrue();
				assertThat(pod.passes(container.getLivenessProbe())).as("%s liveness probe", pod.name()).isTrue();
			}
			runsAsTheManifestSays(pod(started, "rng-0"));
			servesMetricsWherePrometheusLooks(manifests, started);
			assertThat(pod(started, "redis-0").exec("redis-cli", "ping").output()).as("Redis without the password")
				.contains("NOAUTH");
			Pod webui = pod(started, "webui-0");
			System.out.printf("[k8s figures] 1 worker, 1 rng: %.1f hashes/s%n", hashRate(webui, 1));
			// kubectl scale deployment worker --replicas=10, or k8s/overlays/bottleneck.
			scaleWorkers(pods, manifests, started, bottleneck);
			double rate = hashRate(webui, bottleneck);
			System.out.printf("[k8s figures] %d workers, 1 rng: %.1f hashes/s%n", bottleneck, rate);
			timeRequestsToRng(started, bottleneck);
			assertThat(rate).as("hashes/s with 10 workers and one rng").isBetween(8.0, 11.0);
			// The course's probe lesson: with 15 workers, rng's / waits longer than a 1 s
			// timeout.
			scaleWorkers(pods, manifests, started, 15);
			timeRequestsToRng(started, 15);
			System.out.printf("[k8s figures] docker stats, %d workers:%n%s%n", 15, stats(started));
			for (Pod pod : started) {
				assertThat(pod.inspect("{{.State.OOMKilled}} {{.RestartCount}}")).as(pod.name()).isEqualTo("false 0");
				assertThat(pod.restarts()).as("%s: restarts by its liveness probe", pod.name()).hasValue(0);
			}
			Pod rng = restartsRngWithTheCoursesLivenessProbe(pods, manifests, started);
			theCoursesDaemonSetGetsRngsTraffic(pods, manifests, rng, webui);
			Pod worker = pod(started, "worker-0");
			worker.stop();
			// It stopped by itself on SIGTERM (143), after its last report, not killed
			// (137).
			assertThat(worker.inspect("{{.State.ExitCode}}")).as("worker's exit status").isIn("0", "143");
			assertThat(worker.logs()).contains("Worker stopped:");
		}
	}

	/** Starts worker pods up to {@code replicas}, as the Deployment controller would. */
	private static void scaleWorkers(PodsOnDocker pods, Manifests manifests, List<Pod> started, int replicas)
			throws IOException {
		PodTemplateSpec template = manifests.workload("worker").template();
		long start = System.nanoTime();
		long running = started.stream().filter((pod) -> pod.name().startsWith("worker-")).count();
		List<Pod> added = new ArrayList<>();
		for (long i = running; i < replicas; i++) {
			added.add(pods.start("worker-" + i, template));
		}
		added.forEach((pod) -> pod.awaitReady(Duration.ofMinutes(3)));
		started.addAll(added);
		System.out.printf("[k8s figures] scaled to %d workers: the %d new ones ready after %.0f s%n", replicas,
				added.size(), (System.nanoTime() - start) / 1e9);
	}

	/** The hash rate the web UI shows, over 20 s, once every worker reports. */
	private static double hashRate(Pod webui, int workers) throws IOException, InterruptedException {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> workers(get(webui.url(80, "/fleet.json"))) == workers);
		String first = get(webui.url(80, "/json"));
		await().atMost(Duration.ofSeconds(40))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> number(NOW, get(webui.url(80, "/json"))) - number(NOW, first) >= 20);
		String last = get(webui.url(80, "/json"));
		return (number(HASHES, last) - number(HASHES, first)) / (number(NOW, last) - number(NOW, first));
	}

	private static PodTemplateSpec template(Manifests manifests, Pod pod) {
		return manifests.workload(pod.name().replaceFirst("-\\d+$", "")).template();
	}

	private static Pod pod(List<Pod> pods, String name) {
		return pods.stream().filter((pod) -> pod.name().equals(name)).findFirst().orElseThrow();
	}

	/**
	 * ourapponkube.md, command for command: Deployments and Services from kubectl create
	 * deployment and kubectl expose, with our images. Where the runtime leaves
	 * unprivileged ports at 1024 (containerd before 2.0, CRI-O; here as in each pod of
	 * this class), rng cannot bind port 80; with the one change docs/kubernetes.md gives,
	 * the five mine.
	 */
	@Test
	void theCoursesImperativeDeploymentMinesWithTheDocumentedPatch() throws Exception {
		String patch = documented("kubectl patch deployment $SERVICE -p '");
		List<String> objects = new ArrayList<>();
		// kubectl create deployment redis --image=redis: the redis:8 stand-in, so named.
		Docker.run("docker", "tag", "redis:8", "redis");
		try {
			String redis = Kubectl.run("create", "deployment", "redis", "--image=redis", "--dry-run=client", "-o",
					"yaml");
			objects.addAll(List.of(redis, Kubectl.expose(redis, "--port", "6379")));
			Map<String, String> created = new LinkedHashMap<>();
			for (String service : JAVA_SERVICES) {
				created.put(service, Kubectl.run("create", "deployment", service,
						"--image=dockercoins/" + service + ":v0.1", "--dry-run=client", "-o", "yaml"));
				objects.add(Kubectl.patch(created.get(service), "strategic", patch));
			}
			objects.add(Kubectl.expose(created.get("rng"), "--port", "80"));
			objects.add(Kubectl.expose(created.get("hasher"), "--port", "80"));
			objects.add(Kubectl.expose(created.get("webui"), "--type=NodePort", "--port=80"));
			Manifests manifests = Manifests.parse("ourapponkube.md", String.join("---\n", objects));
			try (PodsOnDocker pods = new PodsOnDocker(manifests, Map.of())) {
				Pod unpatched = pods.start("rng-unpatched",
						Manifests.parse("rng", created.get("rng")).workload("rng").template());
				await().atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofSeconds(1))
					.until(() -> !unpatched.running());
				assertThat(unpatched.logs()).contains("java.net.BindException: Permission denied");
				pods.delete(unpatched);
				List<Pod> started = new ArrayList<>();
				for (Workload workload : manifests.workloads()) {
					started.add(pods.start(workload.name() + "-0", workload.template()));
				}
				started.forEach((pod) -> pod.awaitReady(Duration.ofMinutes(2)));
				// The worker retries 10 s after its first calls fail, as the slide says.
				Pod webui = pod(started, "webui-0");
				await().atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofSeconds(2))
					.ignoreExceptions()
					.until(() -> number(HASHES, webui.exec("curl", "-s", "http://localhost/json").output()) > 0);
				double hashes = number(HASHES, webui.exec("curl", "-s", "http://localhost/json").output());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> number(HASHES, webui.exec("curl", "-s", "http://localhost/json").output()) > hashes);
			}
		}
		finally {
			Docker.attempt("docker", "image", "rm", "redis:latest");
		}
	}

	/**
	 * Step 7 of docs/kubernetes.md: rng with the course's liveness probe (patched as the
	 * document types it; the Deployment replaces the pod), restarted under the load of
	 * the workers, as healthchecks-more.md says.
	 */
	private static Pod restartsRngWithTheCoursesLivenessProbe(PodsOnDocker pods, Manifests manifests, List<Pod> started)
			throws IOException {
		String patch = documented("kubectl patch deployment rng --type=json -p '");
		String rng = new KubernetesSerialization().asYaml(manifests.get(Deployment.class, "rng"));
		PodTemplateSpec patched = Manifests.parse("rng", Kubectl.patch(rng, "json", patch)).workload("rng").template();
		assertThat(patched.getSpec().getContainers().get(0).getLivenessProbe().getTimeoutSeconds())
			.as("the course's probe keeps the default timeout, 1 s")
			.isNull();
		pods.delete(pod(started, "rng-0"));
		Pod withTheCoursesProbe = pods.start("rng-1", patched);
		withTheCoursesProbe.awaitReady(Duration.ofMinutes(2));
		long start = System.nanoTime();
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> withTheCoursesProbe.restarts().get() > 0);
		System.out.printf("[k8s figures] 15 workers, rng with the course's liveness probe: restarted %.0f s after it"
				+ " was ready%n", (System.nanoTime() - start) / 1e9);
		return withTheCoursesProbe;
	}

	/**
	 * Step 5 of docs/kubernetes.md: the course's own DaemonSet for rng (daemonset.md),
	 * whose pods name no port, in place of the Deployment: the base's Service sends it
	 * the workers' requests.
	 */
	private static void theCoursesDaemonSetGetsRngsTraffic(PodsOnDocker pods, Manifests manifests, Pod rng, Pod webui)
			throws IOException {
		String yaml = Kubectl
			.run("create", "deployment", "rng", "--image=dockercoins/rng:v0.1", "-o", "yaml", "--dry-run=client")
			.replace("kind: Deployment", "kind: DaemonSet");
		assertThatIllegalArgumentException().as("the slide's error")
			.isThrownBy(() -> Manifests.parse("rng.yaml", yaml))
			.withMessageContaining("spec.replicas")
			.withMessageContaining("spec.strategy");
		String fixed = yaml.replaceAll("(?m)^  (replicas|strategy):.*\n", "");
		PodTemplateSpec daemon = Manifests
			.parse("rng.yaml", Kubectl.patch(fixed, "strategic", documented("kubectl patch deployment $SERVICE -p '")))
			.workload("rng")
			.template();
		Service service = manifests.get(Service.class, "rng");
		assertThat(Manifests.sendsTrafficTo(service, daemon)).as("the rng Service sends the DaemonSet's pods traffic")
			.isTrue();
		assertThat(Manifests.sendsTrafficTo(new ServiceBuilder(service).editSpec()
			.editFirstPort()
			.withTargetPort(new IntOrString("http"))
			.endPort()
			.endSpec()
			.build(), daemon)).as("with a named target port").isFalse();
		// kubectl delete deployment rng
		pods.delete(rng);
		Pod daemonPod = pods.start("rng-x7k2q", daemon);
		daemonPod.awaitReady(Duration.ofMinutes(1));
		await().atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> rngReplicas(get(webui.url(80, "/fleet.json"))),
					(replicas) -> replicas.equals(List.of(daemonPod.name())));
	}

	/** The rng replicas that answered the workers in the last 5 s, in /fleet.json. */
	private static List<String> rngReplicas(String fleet) {
		Matcher rng = Pattern.compile("\"rng\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(fleet);
		assertThat(rng.find()).as("rng replicas in %s", fleet).isTrue();
		return Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]+)\"")
			.matcher(rng.group(1))
			.results()
			.map((m) -> m.group(1))
			.toList();
	}

	/**
	 * The argument in single quotes of a command docs/kubernetes.md gives, after
	 * {@code start}.
	 */
	private static String documented(String start) throws IOException {
		String document = Files.readString(Command.REPOSITORY.resolve("docs/kubernetes.md"));
		int at = document.indexOf(start);
		assertThat(at).as("docs/kubernetes.md has %s", start).isNotNegative();
		return document.substring(at + start.length(), document.indexOf('\'', at + start.length()));
	}

	/**
	 * The user, groups, capabilities, file system and sysctl the manifest gives the pod.
	 */
	private static void runsAsTheManifestSays(Pod pod) {
		assertThat(pod.exec("id", "-u").output().trim()).isEqualTo("10001");
		assertThat(pod.exec("id", "-g").output().trim()).isEqualTo("10001");
		assertThat(pod.exec("grep", "-E", "^(CapEff|NoNewPrivs):", "/proc/1/status").output())
			.contains("0000000000000000")
			.containsPattern("NoNewPrivs:\\s+1");
		assertThat(pod.exec("touch", "/app/written").exitCode()).as("writing to the root file system").isNotZero();
		assertThat(pod.exec("touch", "/tmp/written").exitCode()).as("writing to /tmp").isZero();
		assertThat(pod.exec("cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").output().trim()).isEqualTo("0");
	}

	/** What Prometheus scrapes: the path and port of each Java pod's annotations. */
	private static void servesMetricsWherePrometheusLooks(Manifests manifests, List<Pod> started)
			throws IOException, InterruptedException {
		for (String name : JAVA_SERVICES) {
			Map<String, String> annotations = manifests.workload(name).template().getMetadata().getAnnotations();
			Pod pod = pod(started, name + "-0");
			int port = Manifests
				.port(pod.template(), new IntOrString(Integer.parseInt(annotations.get("prometheus.io/port"))))
				.orElseThrow()
				.getContainerPort();
			String metrics = get(pod.url(port, annotations.get("prometheus.io/path")));
			assertThat(metrics).as("%s metrics", name).contains("service=\"" + name + "\"");
		}
	}

	/**
	 * Times rng's / (what httping and the course's probe ask) and its liveness, from a
	 * worker.
	 */
	private static void timeRequestsToRng(List<Pod> started, int workers) {
		Pod worker = pod(started, "worker-0");
		for (String path : List.of("/", "/actuator/health/liveness")) {
			List<String> times = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				times.add(worker.exec("curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "http://rng" + path)
					.output());
			}
			System.out.printf("[k8s figures] %d workers: GET http://rng%s from a worker pod: %s s%n", workers, path,
					String.join(", ", times));
		}
	}

	private static String stats(List<Pod> started) {
		List<String> stats = new ArrayList<>(
				List.of("docker", "stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}"));
		started.stream().filter(Pod::running).map(Pod::container).forEach(stats::add);
		return Command.output(Duration.ofMinutes(1), stats.toArray(String[]::new));
	}

	private static String get(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
		return response.body();
	}

	private static double number(Pattern pattern, String json) {
		Matcher matcher = pattern.matcher(json);
		assertThat(matcher.find()).as("%s in %s", pattern, json).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static int workers(String fleet) {
		Matcher matcher = WORKERS.matcher(fleet);
		int workers = 0;
		while (matcher.find()) {
			workers += Integer.parseInt(matcher.group(1));
		}
		return workers;
	}

}

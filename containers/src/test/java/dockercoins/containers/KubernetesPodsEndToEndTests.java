package dockercoins.containers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dockercoins.containers.Manifests.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pods of {@code k8s/} run on the Docker engine as the kubelet would run them: each
 * becomes ready on its probes, and together, under the Services' names, they mine at the
 * workshop's rate, scaled to the workers of {@code k8s/overlays/bottleneck}.
 */
class KubernetesPodsEndToEndTests {

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
		try (DockerPods pods = new DockerPods(manifests)) {
			String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
			pods.secret("redis-password", Map.of("password", password));
			long start = System.nanoTime();
			List<DockerPod> started = new ArrayList<>();
			for (Workload workload : manifests.workloads()) {
				started.addAll(pods.start(workload));
			}
			started.forEach((pod) -> pod.awaitReady(Duration.ofMinutes(3)));
			System.out.printf("[k8s figures] the %d pods of k8s/, started together, all ready after %.0f s%n",
					started.size(), (System.nanoTime() - start) / 1e9);
			for (DockerPod pod : started) {
				var container = template(manifests, pod).getSpec().getContainers().get(0);
				assertThat(pod.passes(container.getStartupProbe())).as("%s startup probe", pod.name()).isTrue();
				assertThat(pod.passes(container.getLivenessProbe())).as("%s liveness probe", pod.name()).isTrue();
			}
			runsAsTheManifestSays(pod(started, "rng-0"));
			servesMetricsWherePrometheusLooks(manifests, started);
			assertThat(pod(started, "redis-0").exec("redis-cli", "ping").output()).as("Redis without the password")
				.contains("NOAUTH");
			DockerPod webui = pod(started, "webui-0");
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
			for (DockerPod pod : started) {
				assertThat(pod.inspect("{{.State.OOMKilled}} {{.RestartCount}}")).as(pod.name()).isEqualTo("false 0");
			}
			DockerPod worker = pod(started, "worker-0");
			worker.stop();
			// It stopped by itself on SIGTERM (143), after its last report, not killed
			// (137).
			assertThat(worker.inspect("{{.State.ExitCode}}")).as("worker's exit status").isIn("0", "143");
			assertThat(worker.logs()).contains("Worker stopped:");
		}
	}

	/** Starts worker pods up to {@code replicas}, as the Deployment controller would. */
	private static void scaleWorkers(DockerPods pods, Manifests manifests, List<DockerPod> started, int replicas) {
		PodTemplateSpec template = manifests.workload("worker").template();
		long start = System.nanoTime();
		long running = started.stream().filter((pod) -> pod.name().startsWith("worker-")).count();
		List<DockerPod> added = new ArrayList<>();
		for (long i = running; i < replicas; i++) {
			added.add(pods.start("worker-" + i, template));
		}
		added.forEach((pod) -> pod.awaitReady(Duration.ofMinutes(3)));
		started.addAll(added);
		System.out.printf("[k8s figures] scaled to %d workers: the %d new ones ready after %.0f s%n", replicas,
				added.size(), (System.nanoTime() - start) / 1e9);
	}

	/** The hash rate the web UI shows, over 20 s, once every worker reports. */
	private static double hashRate(DockerPod webui, int workers) throws IOException, InterruptedException {
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

	private static PodTemplateSpec template(Manifests manifests, DockerPod pod) {
		return manifests.workload(pod.name().replaceFirst("-\\d+$", "")).template();
	}

	private static DockerPod pod(List<DockerPod> pods, String name) {
		return pods.stream().filter((pod) -> pod.name().equals(name)).findFirst().orElseThrow();
	}

	@Test
	void withoutItsSysctlRngCannotBindPort80AsOnContainerdBefore2() {
		Manifests manifests = Manifests.render("k8s");
		PodTemplateSpec rng = manifests.workload("rng").template();
		PodTemplateSpec withoutSysctl = new PodTemplateSpecBuilder(rng).editSpec()
			.editSecurityContext()
			.withSysctls()
			.endSecurityContext()
			.endSpec()
			.build();
		try (DockerPods pods = new DockerPods(manifests)) {
			DockerPod pod = pods.start("rng-without-sysctl", withoutSysctl);
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> !pod.running());
			assertThat(pod.logs()).contains("java.net.BindException: Permission denied");
		}
	}

	/**
	 * The user, groups, capabilities, file system and sysctl the manifest gives the pod.
	 */
	private static void runsAsTheManifestSays(DockerPod pod) {
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
	private static void servesMetricsWherePrometheusLooks(Manifests manifests, List<DockerPod> started)
			throws IOException, InterruptedException {
		for (String name : JAVA_SERVICES) {
			Map<String, String> annotations = manifests.workload(name).template().getMetadata().getAnnotations();
			DockerPod pod = pod(started, name + "-0");
			int port = pod.port(new IntOrString(Integer.parseInt(annotations.get("prometheus.io/port"))));
			String metrics = get(pod.url(port, annotations.get("prometheus.io/path")));
			assertThat(metrics).as("%s metrics", name).contains("service=\"" + name + "\"");
		}
	}

	/**
	 * Times rng's / (what httping and the course's probe ask) and its liveness, from a
	 * worker.
	 */
	private static void timeRequestsToRng(List<DockerPod> started, int workers) {
		DockerPod worker = pod(started, "worker-0");
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

	private static String stats(List<DockerPod> started) {
		List<String> stats = new ArrayList<>(
				List.of("docker", "stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}"));
		started.stream().filter(DockerPod::running).map(DockerPod::container).forEach(stats::add);
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

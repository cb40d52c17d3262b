package dockercoins.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dockercoins.testsupport.RequiredTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each image, built from its own folder, run alone on the engine: a non-root user, port
 * 80, a health check that passes, its AOT cache used, and JVM flags the JDK knows.
 */
class ImagesEndToEndTests {

	@BeforeAll
	static void build() {
		Images.build();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "rng", "hasher", "worker", "webui" })
	void runsAsANonRootUserOnPort80AndBecomesHealthyFromItsAotCache(String service) {
		String image = Images.name(service);
		assertThat(Docker.run("docker", "image", "inspect", "--format",
				"{{.Config.User}} {{json .Config.ExposedPorts}}", image))
			.startsWith("10001:10001 ")
			.contains("\"80/tcp\"");
		// The class loading log says where each class came from: the AOT cache is the
		// "shared objects file".
		String container = Docker
			.run("docker", "run", "-d", "-p", "127.0.0.1::80", "-e", "JAVA_TOOL_OPTIONS=-Xlog:class+load=info", image)
			.strip();
		try {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> Docker.run("docker", "inspect", "--format", "{{.State.Health.Status}}", container).strip(),
						(status) -> status.equals("healthy"));
			assertThat(Docker.run("docker", "exec", container, "id", "-u").strip()).isEqualTo("10001");
			String port = Docker.run("docker", "port", container, "80").lines().findFirst().orElseThrow();
			WebUi http = new WebUi(Integer.parseInt(port.substring(port.lastIndexOf(':') + 1)));
			// Beside the version, the build, a digest of the sources.
			assertThat(http.get("actuator/info")).contains("\"service\":\"" + service + "\"", "\"version\":\"v0.1\"")
				.containsPattern("\"build\":\"[0-9a-f]{8}\"");
			String application = "dockercoins." + service + "." + Character.toUpperCase(service.charAt(0))
					+ service.substring(1) + "Application";
			assertThat(Docker.run("docker", "logs", container)
				.lines()
				// The tags are padded to the widest seen so far, e.g. "[class,load ]".
				.filter((line) -> line.matches(".*\\[class,load *\\] " + application.replace(".", "\\.") + " .*")))
				.as("how %s was loaded", application)
				.isNotEmpty()
				.allMatch((line) -> line.contains("source: shared objects file"));
		}
		finally {
			Docker.run("docker", "rm", "-f", container);
		}
	}

	/**
	 * The health check as a deploy, a scale and a rollout wait on it: until it first
	 * passes it keeps asking for 4 s (a service on port 81 never passes), and Docker runs
	 * the next a second after (dockerd 20.10 has no start interval); once it has passed,
	 * it waits 4 s before it asks, so that a running service is asked every 5 s.
	 */
	@Test
	void asksForFourSecondsUntilTheFirstPassThenEveryFiveSeconds() {
		String image = Images.name("worker");
		String moved = Docker.run("docker", "run", "-d", "-e", "SERVER_PORT=81", image).strip();
		String serving = Docker.run("docker", "run", "-d", image).strip();
		try {
			List<Check> failed = await().atMost(Duration.ofSeconds(60))
				.until(() -> checks(moved), (checks) -> checks.size() >= 3);
			assertThat(failed).allMatch((check) -> check.exitCode() == 1)
				.allMatch((check) -> check.end() - check.start() >= 3_000_000_000L);
			// The next a second after the last ended; a 5 s interval would make it 5.
			for (int i = 1; i < failed.size(); i++) {
				assertThat(failed.get(i).start() - failed.get(i - 1).end()).isLessThan(3_000_000_000L);
			}
			List<Check> passed = await().atMost(Duration.ofSeconds(60))
				.until(() -> checks(serving).stream().filter((check) -> check.exitCode() == 0).toList(),
						(passes) -> passes.size() >= 3);
			for (int i = 1; i < passed.size(); i++) {
				assertThat(passed.get(i).end() - passed.get(i - 1).end()).isGreaterThan(4_000_000_000L);
			}
		}
		finally {
			Docker.run("docker", "rm", "-f", moved, serving);
		}
	}

	private record Check(long start, long end, int exitCode) {
	}

	private static List<Check> checks(String container) {
		return Docker
			.lines("docker", "inspect", "--format",
					"{{range .State.Health.Log}}{{.Start.UnixNano}} {{.End.UnixNano}} {{.ExitCode}}{{println}}{{end}}",
					container)
			.stream()
			.map((line) -> line.split(" "))
			.map((fields) -> new Check(Long.parseLong(fields[0]), Long.parseLong(fields[1]),
					Integer.parseInt(fields[2])))
			.toList();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "rng", "hasher", "worker", "webui" })
	void knowsEveryFlagOfItsJvmOptions(String service) throws Exception {
		List<String> flags = Files.readAllLines(Docker.REPOSITORY.resolve(service).resolve("jvm.options"))
			.stream()
			.filter((line) -> !line.startsWith("#") && !line.isBlank())
			.toList();
		// A flag the JDK does not know would be ignored silently.
		assertThat(flags).noneMatch((line) -> line.contains("IgnoreUnrecognizedVMOptions"));
		assertThat(Docker.run("docker", "run", "--rm", "--entrypoint", "java", Images.name(service), "@jvm.options",
				"-XX:SharedArchiveFile=dependencies.aot:" + service + ".jsa", "-XX:+PrintFlagsFinal", "-version"))
			.contains("UseSerialGC                              = true");
	}

	/**
	 * The seed's own command, with each builder: the legacy one and BuildKit (what Docker
	 * 23 and newer use by default), each seen at work in what it prints.
	 */
	@Test
	void buildsWithTheLegacyBuilderAndWithBuildKit() {
		String tag = "localhost:5000/dockercoins_worker:v0.01";
		Command legacy = build("docker", Map.of("DOCKER_BUILDKIT", "0"), tag);
		assertThat(legacy.output()).as("the legacy builder's steps").contains("Step 1/");
		// The CLI 28 here has no buildx plugin; Debian's 20.10 CLI has BuildKit built in.
		boolean buildx = Docker.succeeds("docker", "buildx", "version");
		RequiredTools.require(buildx || Files.isExecutable(Path.of("/usr/bin/docker")),
				"No BuildKit: install the docker buildx plugin");
		Command buildKit = build(buildx ? "docker" : "/usr/bin/docker", Map.of("DOCKER_BUILDKIT", "1"), tag);
		assertThat(buildKit.errors()).as("BuildKit's steps").contains("load build definition from Dockerfile");
		Docker.run("docker", "image", "rm", tag);
	}

	private static Command build(String docker, Map<String, String> environment, String tag) {
		Command build = Command.run(Docker.REPOSITORY, environment, Duration.ofMinutes(10),
				List.of(docker, "build", "-t", tag, "worker"));
		assertThat(build.exitCode()).as("%s build with %s:%n%s", docker, environment, build.errors()).isZero();
		return build;
	}

}

package dockercoins.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the container files as far as that can be done without a Docker engine: the
 * compose files are valid stacks, each module builds alone with its Dockerfile's Maven
 * command, and each image's start command, run outside Docker, passes its health check.
 */
class ContainerImagesEndToEndTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "docker-compose.yml", "stack.yml", "stack.yml stack-prometheus.yml",
			"stack.yml stack-password.yml" })
	@Execution(ExecutionMode.CONCURRENT)
	void composeFilesMakeAValidStack(String files) throws Exception {
		assumeDockerStackConfig();
		List<String> command = new ArrayList<>(List.of("docker", "stack", "config"));
		for (String file : files.split(" ")) {
			command.addAll(List.of("-c", file));
		}
		Process docker = new ProcessBuilder(command).directory(ImageBuild.REPOSITORY.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(docker.waitFor()).as(output).isZero();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "rng", "hasher", "worker", "webui" })
	@Execution(ExecutionMode.CONCURRENT)
	void moduleBuildsAloneWithTheMavenCommandOfItsDockerfile(String service, @TempDir Path temp) throws Exception {
		ImageBuild build = ImageBuild.of(service, temp).buildStage();
		assertThat(build.workdir().resolve("target/" + service + ".jar")).isRegularFile();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "rng", "hasher", "worker", "webui" })
	@Execution(ExecutionMode.CONCURRENT)
	void entrypointStartsAServiceThatPassesTheHealthCheck(String service, @TempDir Path temp) throws Exception {
		assumeTrue(Runtime.version().feature() >= 25, "The images run Java 25: their AOT cache training run "
				+ "and start command need a JDK 25 or newer to be checked, not " + Runtime.version());
		Path jar = Path.of("target/classes/services", service + ".jar");
		ImageBuild image = ImageBuild.withJar(service, temp, jar).allStages();
		assertThat(image.user()).as("the user of the start command").isNotIn("root", "0", "0:0");
		assertThat(image.healthcheck()).contains("localhost:80/");
		assertThat(Files.readString(ImageBuild.REPOSITORY.resolve("stack.yml")))
			.as("stack.yml probes as the image does")
			.contains(image.healthcheck());
		String port = String.valueOf(LaunchedStack.freePorts(1));
		List<String> healthcheck = List.of("sh", "-c", image.healthcheck().replace(":80/", ":" + port + "/"));
		Process running = image.start("entrypoint", image.entrypoint(),
				Map.of("SERVER_PORT", port, "SERVER_ADDRESS", "127.0.0.1"));
		try {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(1))
				.failFast(() -> assertThat(running.isAlive()).as(() -> "ENTRYPOINT exited:\n" + log(image)).isTrue())
				.untilAsserted(() -> assertThat(image.start("healthcheck", healthcheck, Map.of()).waitFor())
					.as(() -> "HEALTHCHECK failed:\n" + log(image))
					.isZero());
		}
		finally {
			running.destroy();
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor();
			}
		}
	}

	private static String log(ImageBuild image) {
		return image.log("entrypoint", 40) + "\n" + image.log("healthcheck", 5);
	}

	/**
	 * Skips, saying why on the console too, where the docker CLI cannot check compose
	 * files.
	 */
	private static void assumeDockerStackConfig() throws InterruptedException {
		String missing = dockerStackConfigMissing();
		if (missing != null) {
			System.err.println("Skipped: " + missing);
			abort(missing);
		}
	}

	private static String dockerStackConfigMissing() throws InterruptedException {
		String install = " Install a docker CLI 23 or newer (no engine needed), for example docker-ce-cli from "
				+ "download.docker.com or the docker.io package of Debian 13 or Ubuntu 24.04.";
		try {
			Process docker = new ProcessBuilder("docker", "stack", "config", "--help").redirectErrorStream(true)
				.start();
			String help = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			docker.waitFor();
			return help.contains("docker stack config") ? null
					: "This docker CLI has no 'docker stack config' (Docker 23 brought it), so the compose files "
							+ "were not checked." + install;
		}
		catch (IOException ex) {
			return "The docker CLI is not installed, so the compose files were not checked." + install;
		}
	}

}

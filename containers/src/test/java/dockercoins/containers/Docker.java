package dockercoins.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The Docker engine of these machines, and the images the manifests name. */
final class Docker {

	private static final Path START = Command.REPOSITORY.resolveSibling("shared/container-engine/start");

	private Docker() {
	}

	/** Requires a running engine, starting the machine's own when there is one. */
	static void requireEngine() {
		if (!running() && Files.exists(START)) {
			Command.run(Duration.ofMinutes(10), "bash", START.toString());
		}
		Command.requireTool(running(), "A Docker engine is needed: on these machines run "
				+ "../shared/container-engine/start, elsewhere install Docker");
	}

	private static boolean running() {
		return Command.run(Duration.ofSeconds(30), "docker", "info").exitCode() == 0;
	}

	/**
	 * Builds a service's image from its directory unless the engine has it, so that
	 * images are built once and reused.
	 */
	static void requireImage(String image) {
		if (Command.run(Duration.ofSeconds(30), "docker", "image", "inspect", image).exitCode() == 0) {
			return;
		}
		String service = image.replaceFirst("^dockercoins/([a-z]+):.*$", "$1");
		assertThat(service).as("an image this test can build").isNotEqualTo(image);
		String tag = image.substring(image.indexOf(':') + 1);
		Command build = Command.run(Duration.ofMinutes(10), "docker", "build", "--build-arg", "VERSION=" + tag, "-t",
				image, service);
		assertThat(build.exitCode()).as("docker build %s: %s", image, build.errors()).isZero();
	}

}

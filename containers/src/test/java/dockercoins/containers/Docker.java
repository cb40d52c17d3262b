package dockercoins.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dockercoins.testsupport.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker and Compose commands of docs/workshop.md, run as a user runs them, on the
 * engine of {@code ../shared/container-engine/start}.
 */
final class Docker {

	/** The repository; the tests run in the containers module. */
	static final Path REPOSITORY = Command.REPOSITORY;

	private static final Path START = REPOSITORY.resolveSibling("shared/container-engine/start");

	private static final Duration TIMEOUT = Duration.ofMinutes(10);

	private static Boolean engine;

	private Docker() {
	}

	/**
	 * Requires a running engine with Compose, starting the machine's own when there is
	 * one. Its script runs even beside a running dockerd: it is idempotent, and builds
	 * the stand-in images that a start cut short left missing.
	 */
	static synchronized void requireEngine() {
		if (engine == null) {
			if (Files.exists(START)) {
				run(REPOSITORY, Map.of(), List.of("bash", START.toString()));
			}
			engine = succeeds("docker", "info") && !compose().isEmpty();
		}
		RequiredTools.require(engine, "A Docker engine with Compose is needed: on these machines run "
				+ "../shared/container-engine/start, elsewhere install Docker with its compose plugin");
	}

	/** {@code docker compose} where the plugin is there, else {@code docker-compose}. */
	static List<String> compose() {
		if (succeeds("docker", "compose", "version")) {
			return List.of("docker", "compose");
		}
		return succeeds("docker-compose", "version") ? List.of("docker-compose") : List.of();
	}

	/** Runs a command in the repository and answers its output; fails if it fails. */
	static String run(String... command) {
		return run(REPOSITORY, Map.of(), List.of(command));
	}

	/** Runs a command and answers its output; fails if it fails. */
	static String run(Path directory, Map<String, String> environment, List<String> command) {
		Command result = Command.run(directory, environment, TIMEOUT, command);
		assertThat(result.exitCode())
			.as("%s failed:%n%s%s", String.join(" ", command), result.output(), result.errors())
			.isZero();
		return result.output();
	}

	/** Runs a command in the repository, whether it succeeds or not. */
	static Command attempt(String... command) {
		return Command.run(TIMEOUT, command);
	}

	static boolean succeeds(String... command) {
		return Command.run(TIMEOUT, command).exitCode() == 0;
	}

	/**
	 * Fails, naming what holds it, when a host port a walk-through publishes is taken: a
	 * stack or project left running would otherwise answer in its place, or keep ours
	 * from starting, and every later step would fail for no visible reason.
	 */
	static void requireFreePorts(int... ports) {
		for (int port : ports) {
			try (ServerSocket socket = new ServerSocket(port)) {
				// Free: Compose and Swarm publish on every address.
			}
			catch (IOException ex) {
				String holders = run("docker", "ps", "--filter", "publish=" + port, "--format", "{{.Names}}").strip();
				String by = holders.isEmpty() ? "a process outside Docker" : String.join(", ", holders.lines().toList())
						+ ": a stack or Compose project left running? Remove it first";
				throw new AssertionError("Port " + port + " is taken by " + by);
			}
		}
	}

	/** The non-blank lines of a command's output. */
	static List<String> lines(String... command) {
		return new ArrayList<>(run(command).lines().filter((line) -> !line.isBlank()).toList());
	}

	/** Copies a file, or a directory and what it holds. */
	static void copy(Path source, Path target) {
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path copy = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(copy);
				}
				else {
					Files.createDirectories(copy.getParent());
					Files.copy(file, copy);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

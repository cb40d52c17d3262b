package dockercoins.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The docker and Compose commands of the README, run as a user runs them from the
 * repository's root, on the engine of {@code ../shared/container-engine/start}.
 */
final class Docker {

	/** The repository; the tests run in the containers module. */
	static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

	private static final Duration TIMEOUT = Duration.ofMinutes(10);

	private static Boolean engine;

	private Docker() {
	}

	/**
	 * Skips the test where a tool is missing, saying what to install, but fails it in CI,
	 * where every tool must be there.
	 */
	static void need(boolean present, String missing) {
		if (present) {
			return;
		}
		if ("true".equals(System.getenv("CI"))) {
			fail(missing + " (CI=true: a test whose tool is missing fails)");
		}
		System.err.println("Skipped: " + missing);
		abort(missing);
	}

	/** A running Docker engine, with docker-compose or the compose plugin. */
	static synchronized void needEngine() {
		if (engine == null) {
			engine = succeeds("docker", "info") && !compose().isEmpty();
		}
		need(engine, "No Docker engine with Compose: start one with ../shared/container-engine/start "
				+ "(or install Docker with its compose plugin)");
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
		Result result = execute(directory, environment, command);
		assertThat(result.exitCode()).as("%s failed:%n%s", String.join(" ", command), result.output()).isZero();
		return result.output();
	}

	static boolean succeeds(String... command) {
		return execute(REPOSITORY, Map.of(), List.of(command)).exitCode() == 0;
	}

	/** Runs a command, its standard error with its output, within the timeout. */
	static Result execute(Path directory, Map<String, String> environment, List<String> command) {
		try {
			Path output = Files.createTempFile("docker-", ".log");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
					.redirectErrorStream(true)
					.redirectOutput(output.toFile());
				builder.environment().putAll(environment);
				Process process = builder.start();
				if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor();
				}
				return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.delete(output);
			}
		}
		catch (IOException ex) {
			return new Result(-1, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The lines of a command's output. */
	static List<String> lines(String... command) {
		return new ArrayList<>(run(command).lines().filter((line) -> !line.isBlank()).toList());
	}

	static void copy(Path source, Path target) {
		try (var files = Files.walk(source)) {
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

	/** What a command did. */
	record Result(int exitCode, String output) {
	}

}

package dockercoins.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dockercoins.testsupport.RequiredTools;

import static org.assertj.core.api.Assertions.fail;

/** A command line run to its end, with what it printed. */
record Command(List<String> line, int exitCode, String output, String errors) {

	/** The repository; the tests run in the containers module. */
	static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

	/** Runs {@code line} in the repository and waits for it, at most {@code timeout}. */
	static Command run(Duration timeout, List<String> line) {
		return run(REPOSITORY, Map.of(), timeout, line);
	}

	/**
	 * Runs {@code line} in {@code directory}, with {@code environment} added to this
	 * process's, and waits for it, at most {@code timeout}.
	 */
	static Command run(Path directory, Map<String, String> environment, Duration timeout, List<String> line) {
		try {
			Path output = Files.createTempFile("command-", ".out");
			Path errors = Files.createTempFile("command-", ".err");
			try {
				ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
					.redirectOutput(output.toFile())
					.redirectError(errors.toFile());
				builder.environment().putAll(environment);
				Process process = builder.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly().waitFor();
					return new Command(line, -1, Files.readString(output), "timed out after " + timeout);
				}
				return new Command(line, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
						Files.readString(errors, StandardCharsets.UTF_8));
			}
			finally {
				Files.delete(output);
				Files.delete(errors);
			}
		}
		catch (IOException ex) {
			return new Command(line, -1, "", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Command run(Duration timeout, String... line) {
		return run(timeout, List.of(line));
	}

	/** Runs {@code line} and returns its output, failing the test when it fails. */
	static String output(Duration timeout, String... line) {
		Command command = run(timeout, line);
		if (command.exitCode() != 0) {
			fail("%s exited with %d: %s", String.join(" ", line), command.exitCode(), command.errors());
		}
		return command.output();
	}

	static void requireKubectl() {
		RequiredTools.require(run(Duration.ofSeconds(30), "kubectl", "version", "--client").exitCode() == 0,
				"kubectl is needed to render the manifests (kubectl kustomize, offline): install it "
						+ "from your distribution or https://kubernetes.io/docs/tasks/tools/");
	}

	@Override
	public String toString() {
		return String.join(" ", this.line) + " -> " + this.exitCode;
	}

}

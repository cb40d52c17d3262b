package dockercoins.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A process started by the launcher: its output is echoed with its name in front of each
 * line.
 */
final class ServiceProcess {

	private static final Duration POLL = Duration.ofMillis(50);

	private final String name;

	private final Process process;

	private final Thread output;

	private ServiceProcess(String name, Process process, Thread output) {
		this.name = name;
		this.process = process;
		this.output = output;
	}

	/**
	 * Starts {@code command} in {@code directory} (null for the launcher's own), with
	 * {@code environment} added to the launcher's.
	 */
	static ServiceProcess start(String name, Path directory, List<String> command, Map<String, String> environment,
			PrintStream out) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.directory((directory != null) ? directory.toFile() : null);
		builder.environment().putAll(environment);
		Process process = builder.start();
		String prefix = String.format("%-8s | ", name);
		Thread output = new Thread(() -> echo(process, prefix, out), name + "-output");
		output.setDaemon(true);
		output.start();
		return new ServiceProcess(name, process, output);
	}

	ProcessHandle handle() {
		return this.process.toHandle();
	}

	/** Completes with the exit code when the process ends. */
	CompletableFuture<Integer> exitCode() {
		return this.process.onExit().thenApply(Process::exitValue);
	}

	/** Waits until the check passes; fails if the process exits or the time runs out. */
	void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!ready.getAsBoolean()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
						+ " before it was ready; its log is above");
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(this.name + " was not ready after " + timeout.toSeconds() + "s");
			}
			Thread.sleep(POLL.toMillis());
		}
	}

	/**
	 * Asks the process to stop (SIGTERM), kills it if it has not stopped within the grace
	 * period, and lets its last lines be echoed.
	 */
	void stop(Duration grace) {
		// Through the handle: Process.destroy() would also close the pipe of its last
		// lines.
		this.process.toHandle().destroy();
		try {
			if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
			this.output.join(1000);
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static void echo(Process process, String prefix, PrintStream out) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				out.println(prefix + line);
			}
		}
		catch (IOException ex) {
			// The process is gone; so is its output.
		}
	}

}

package dockercoins.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.launcher.Launcher;

/**
 * Our stack, started by the launcher's jar as a process of its own. Its services are the
 * launcher's child processes, told apart by their command lines: {@code java ... -jar
 * .../rng.jar} is an rng, {@code .../redis-server...} is Redis.
 */
final class OurStack implements RunningStack {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	/**
	 * The launcher gives each stage (workers, servers, Redis) 10 s before it kills it.
	 */
	private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

	/**
	 * Spring Boot's line at the end of a service's start, behind the name the launcher
	 * puts in front of each of its lines:
	 * {@code rng-1    | ... Started RngApplication in 1.2
	 * seconds}.
	 */
	private static final Pattern STARTED = Pattern.compile("^(\\S+)\\s+\\| .*Started \\w+ in ([0-9.]+) seconds");

	private final Process launcher;

	private final long startNanos;

	/** Each service's "Started ... in" (seconds), by the launcher's name for it. */
	private final Map<String, Double> started = Collections.synchronizedMap(new LinkedHashMap<>());

	private volatile long runningNanos;

	private OurStack(Process launcher, long startNanos) {
		this.launcher = launcher;
		this.startNanos = startNanos;
	}

	/**
	 * Starts the launcher with these arguments, its output going to the log, and waits
	 * until the stack runs.
	 */
	static OurStack start(Path launcherJar, List<String> arguments, PrintStream log)
			throws IOException, InterruptedException {
		if (!Files.isRegularFile(launcherJar)) {
			throw new IllegalStateException("No launcher jar at " + launcherJar.toAbsolutePath()
					+ ": build it with ./mvnw -q package -DskipTests from the repository root, or give --launcher-jar");
		}
		List<String> command = new ArrayList<>(List.of(Bench.java(), "-jar", launcherJar.toString()));
		command.addAll(arguments);
		long startNanos = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		OurStack stack = new OurStack(process, startNanos);
		CompletableFuture<Void> running = new CompletableFuture<>();
		Thread.ofPlatform().daemon().name("launcher-output").start(() -> stack.copyOutput(log, running));
		try {
			running.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return stack;
		}
		catch (ExecutionException | TimeoutException ex) {
			stack.close();
			throw new IllegalStateException((ex instanceof TimeoutException)
					? "The launcher's stack was not running after " + START_TIMEOUT.toMinutes() + " min"
					: ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			stack.close();
			throw ex;
		}
	}

	/** From the start of {@code java -jar} to the launcher's line that the stack runs. */
	Duration startUp() {
		return Duration.ofNanos(this.runningNanos - this.startNanos);
	}

	/**
	 * Each service's start as Spring Boot timed it ({@code Started ... in}), by the
	 * launcher's name for it ({@code rng-1}), in the order they started.
	 */
	Map<String, Double> started() {
		synchronized (this.started) {
			return new LinkedHashMap<>(this.started);
		}
	}

	@Override
	public Map<String, ProcessHandle> processes() {
		Map<String, ProcessHandle> processes = new LinkedHashMap<>();
		this.launcher.descendants()
			.forEach((process) -> service(process.info())
				.ifPresent((service) -> processes.put(service + "-" + process.pid(), process)));
		return processes;
	}

	/**
	 * Asks the launcher to stop (SIGTERM): it stops the workers, then the other services,
	 * then Redis. Kills whatever is left after a minute.
	 */
	@Override
	public synchronized void close() {
		List<ProcessHandle> services = this.launcher.descendants().toList();
		// Through the handle: Process.destroy() would also close the pipe of its last
		// lines.
		this.launcher.toHandle().destroy();
		try {
			if (!this.launcher.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				services.forEach(ProcessHandle::destroyForcibly);
				this.launcher.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			services.forEach(ProcessHandle::destroyForcibly);
			this.launcher.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The service a process of the launcher runs: the name of its jar, or {@code redis}.
	 */
	static Optional<String> service(ProcessHandle.Info process) {
		List<String> commandLine = new ArrayList<>();
		process.command().ifPresent(commandLine::add);
		process.arguments().ifPresent((arguments) -> commandLine.addAll(Arrays.asList(arguments)));
		if (!commandLine.isEmpty()
				&& Path.of(commandLine.getFirst()).getFileName().toString().startsWith("redis-server")) {
			return Optional.of("redis");
		}
		int jar = commandLine.indexOf("-jar");
		if (jar < 0 || jar + 1 >= commandLine.size()) {
			return Optional.empty();
		}
		return Optional.of(Path.of(commandLine.get(jar + 1)).getFileName().toString().replaceFirst("\\.jar$", ""));
	}

	private void copyOutput(PrintStream log, CompletableFuture<Void> running) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.launcher.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (!running.isDone() && line.contains(Launcher.RUNNING)) {
					this.runningNanos = System.nanoTime();
					running.complete(null);
				}
				Matcher started = STARTED.matcher(line);
				if (started.find()) {
					this.started.put(started.group(1), Double.parseDouble(started.group(2)));
				}
				log.println(line);
			}
		}
		catch (IOException ex) {
			// The launcher is gone; so is its output.
		}
		String code;
		try {
			code = this.launcher.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(this.launcher.exitValue()) : "unknown";
		}
		catch (InterruptedException ex) {
			code = "unknown";
			Thread.currentThread().interrupt();
		}
		// Does nothing once the stack runs.
		running.completeExceptionally(
				new IllegalStateException("The launcher exited with code " + code + " before it said the stack runs"));
	}

}

package dockercoins.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dockercoins.launcher.LaunchOptions;

import redis.embedded.core.ExecutableProvider;

/**
 * The original stack on loopback, run from its code rewritten for one configuration in a
 * temporary folder: Redis, R rng (Flask), one hasher (Sinatra on Thin) and W worker
 * processes, worker i using rng i mod R, as an original worker takes one rng URL. Only
 * its hosts and latencies follow the configuration: its concurrency stays its own (rng
 * one request at a time, hasher Thin's 20 threads). Its web UI is not run: bench reads
 * {@code hashes} from Redis itself.
 */
final class OriginalStack implements RunningStack {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

	private static final Duration STOP_GRACE = Duration.ofSeconds(10);

	private final Path directory;

	private final Path log;

	/** The processes started so far, by stage, in the order they are to be stopped. */
	private final List<Member> workers = new ArrayList<>();

	private final List<Member> servers = new ArrayList<>();

	private final List<Member> redis = new ArrayList<>();

	private OriginalStack(Path directory, Path log) {
		this.directory = directory;
		this.log = log;
	}

	/**
	 * Starts the original stack on the ports and with the settings the launcher gives
	 * ours: Redis, rng and hasher where the launcher puts them, and as many workers; the
	 * output of its processes goes to the log.
	 */
	static OriginalStack start(OriginalTools tools, OriginalSources sources, LaunchOptions stack, Path log)
			throws IOException, InterruptedException {
		OriginalStack original = new OriginalStack(Files.createTempDirectory("dockercoins-original-"), log);
		try {
			original.run(tools, sources, stack);
			return original;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			original.close();
			throw ex;
		}
	}

	private void run(OriginalTools tools, OriginalSources sources, LaunchOptions stack)
			throws IOException, InterruptedException {
		ThroughputModel settings = ThroughputModel.of(stack.environment());
		int redisPort = stack.redisPort();
		int hasherPort = stack.hasherPort();
		List<Integer> rngPorts = IntStream.rangeClosed(1, stack.rngInstances()).mapToObj(stack::rngPort).toList();
		checkFree(Stream.concat(Stream.of(redisPort, hasherPort), rngPorts.stream()).toList());
		Path rng = write("rng/rng.py", sources.rng(settings.rngLatency()));
		Path hasher = write("hasher/hasher.rb", sources.hasher(hasherPort, settings.hasherLatency()));
		List<Path> workerFiles = new ArrayList<>();
		for (int rngPort : rngPorts) {
			workerFiles.add(write("worker/worker-" + rngPort + ".py",
					sources.worker(redisPort, Loopback.url(rngPort), Loopback.url(hasherPort), settings.sleep())));
		}
		String binary = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
		Member redis = start(this.redis, "redis", this.directory, Map.of(), binary, "--port", String.valueOf(redisPort),
				"--bind", Loopback.ADDRESS, "--save", "", "--appendonly", "no");
		awaitReady(redis, () -> Loopback.answersRedis(redisPort));
		Map<Member, Integer> pending = new LinkedHashMap<>();
		for (int rngPort : rngPorts) {
			Map<String, String> flask = Map.of("FLASK_APP", "rng", "FLASK_RUN_HOST", Loopback.ADDRESS, "FLASK_RUN_PORT",
					String.valueOf(rngPort));
			// Single-threaded as in the original's image, whatever RNG_CONCURRENCY says:
			// with threads it measured slower at zero latency (Python's global lock).
			Member rngProcess = start(this.servers, "rng", rng.getParent(), flask, tools.python(), "-m", "flask", "run",
					"--without-threads");
			pending.put(rngProcess, rngPort);
		}
		pending.put(start(this.servers, "hasher", hasher.getParent(), Map.of(), tools.ruby(), "hasher.rb", "-o",
				Loopback.ADDRESS, "-s", "thin"), hasherPort);
		for (Map.Entry<Member, Integer> server : pending.entrySet()) {
			awaitReady(server.getKey(), () -> Loopback.answersHttp(server.getValue()));
		}
		for (int i = 0; i < stack.workers(); i++) {
			Path file = workerFiles.get(i % workerFiles.size());
			start(this.workers, "worker", file.getParent(), Map.of("PYTHONUNBUFFERED", "1"), tools.python(),
					file.getFileName().toString());
		}
	}

	@Override
	public synchronized Map<String, ProcessHandle> processes() {
		Map<String, ProcessHandle> processes = new LinkedHashMap<>();
		Stream.of(this.redis, this.servers, this.workers)
			.flatMap(List::stream)
			.filter((member) -> member.process().isAlive())
			.forEach((member) -> processes.put(member.service() + "-" + member.process().pid(),
					member.process().toHandle()));
		return processes;
	}

	/** Stops the workers, then rng and hasher, then Redis, and deletes the folder. */
	@Override
	public synchronized void close() {
		for (List<Member> stage : List.of(this.workers, this.servers, this.redis)) {
			stage.forEach((member) -> member.process().destroy());
			for (Member member : stage) {
				try {
					if (!member.process().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
						member.process().destroyForcibly().waitFor();
					}
				}
				catch (InterruptedException ex) {
					member.process().destroyForcibly();
					Thread.currentThread().interrupt();
				}
			}
			stage.clear();
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			// A leftover temporary folder measures nothing wrong.
		}
	}

	private synchronized Member start(List<Member> stage, String service, Path workingDirectory,
			Map<String, String> environment, String... command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		builder.environment().putAll(environment);
		Member member = new Member(service, builder.start());
		stage.add(member);
		return member;
	}

	private Path write(String file, String content) throws IOException {
		Path path = this.directory.resolve(file);
		Files.createDirectories(path.getParent());
		return Files.writeString(path, content);
	}

	private static void checkFree(List<Integer> ports) {
		for (int port : ports) {
			if (!Loopback.isFree(port)) {
				throw new IllegalStateException("Port " + port + " is already in use: the original stack needs it");
			}
		}
	}

	private static void awaitReady(Member member, BooleanSupplier ready) throws InterruptedException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!ready.getAsBoolean()) {
			if (!member.process().isAlive()) {
				throw new IllegalStateException("The original " + member.service() + " exited with code "
						+ member.process().exitValue() + " before it answered");
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The original " + member.service() + " did not answer within "
						+ START_TIMEOUT.toSeconds() + " s");
			}
			Thread.sleep(100);
		}
	}

	/** A process of the stack and the service it runs. */
	private record Member(String service, Process process) {

	}

}

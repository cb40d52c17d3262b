package dockercoins.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Measures a grid of configurations: for each, starts a fresh stack with the launcher's
 * jar (and, with {@code --original}, the original stack after it), lets it warm up, then
 * measures the rise of {@code hashes} in Redis and the CPU time of each process over a
 * window, and prints the table of {@link BenchReport}.
 */
public final class Bench {

	private final BenchOptions options;

	private final PrintStream out;

	private final PrintStream log;

	private final Path logFile;

	/** The original's tools and code, or null when only ours is measured. */
	private final OriginalTools tools;

	private final OriginalSources sources;

	Bench(BenchOptions options, PrintStream out, Path logFile, PrintStream log, OriginalTools tools,
			OriginalSources sources) {
		this.options = options;
		this.out = out;
		this.logFile = logFile;
		this.log = log;
		this.tools = tools;
		this.sources = sources;
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		System.exit(run(args));
	}

	static int run(String... args) throws IOException, InterruptedException {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(BenchOptions.USAGE);
			return 2;
		}
		if (options.help()) {
			System.out.print(BenchOptions.USAGE);
			return 0;
		}
		OriginalTools tools = null;
		OriginalSources sources = null;
		if (options.original()) {
			try {
				tools = OriginalTools.find();
				sources = OriginalSources.read(options.originalDirectory());
			}
			catch (IllegalStateException ex) {
				System.err.println(ex.getMessage());
				return 1;
			}
		}
		Path logFile = Files.createTempFile("dockercoins-bench-", ".log");
		// Appending, as the original's processes write to the same file.
		try (PrintStream log = new PrintStream(Files.newOutputStream(logFile, StandardOpenOption.APPEND), true,
				StandardCharsets.UTF_8)) {
			Bench bench = new Bench(options, System.out, logFile, log, tools, sources);
			// Ctrl-C or SIGTERM: ask the running stack's processes to stop.
			Runtime.getRuntime().addShutdownHook(new Thread(Bench::stopChildren, "bench-stop"));
			bench.progress("The services' output goes to " + logFile);
			List<BenchResult> results;
			try {
				results = bench.run();
			}
			catch (IllegalStateException ex) {
				bench.progress(ex.getMessage() + " (see " + logFile + ")");
				return 1;
			}
			BenchReport report = new BenchReport(results);
			System.out.println();
			System.out.print(report.table());
			if (options.csv() != null) {
				Files.writeString(options.csv(), report.csv());
			}
			if (options.json() != null) {
				Files.writeString(options.json(), report.json());
			}
			return 0;
		}
	}

	List<BenchResult> run() throws IOException, InterruptedException {
		List<BenchResult> results = new ArrayList<>();
		List<BenchConfig> configs = this.options.configs();
		long start = System.nanoTime();
		for (int i = 0; i < configs.size(); i++) {
			BenchConfig config = configs.get(i);
			String step = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, configs.size(), config.name());
			progress(step + ": starting the stack (" + config.workers() + " workers, " + config.rngInstances() + " rng"
					+ (config.environment().isEmpty() ? "" : ", " + config.environment()) + ")");
			Window ours;
			try (RunningStack stack = LaunchedStack.start(this.options.launcherJar(),
					this.options.launcherArguments(config), this.log)) {
				ours = measure(stack, step);
			}
			OptionalDouble original = (this.tools != null) ? measureOriginal(config, step) : OptionalDouble.empty();
			BenchResult result = new BenchResult(config, ours.hashesPerSecond(), ours.cores(), original);
			progress(String.format(Locale.ROOT, "%s: %.1f hashes/s, model %s%s (%.0f s so far)", step,
					result.hashesPerSecond(),
					config.model().isPresent() ? String.format(Locale.ROOT, "%.1f", config.model().getAsDouble()) : "-",
					original.isPresent() ? String.format(Locale.ROOT, ", %.2f times the original's",
							result.versusOriginal().orElse(Double.NaN)) : "",
					(System.nanoTime() - start) / 1e9));
			results.add(result);
		}
		return results;
	}

	/** The original stack's rate on the same configuration, ports and window as ours. */
	private OptionalDouble measureOriginal(BenchConfig config, String step) throws IOException, InterruptedException {
		progress(step + ": starting the original stack");
		this.log.println("bench    | the original stack for " + config.name());
		try (RunningStack stack = OriginalStack.start(this.tools, this.sources, config, this.options.port(),
				this.options.redisPort(), this.logFile)) {
			Window window = measure(stack, step + " (original)");
			progress(String.format(Locale.ROOT, "%s: the original, %.1f hashes/s; CPU (cores): %s", step,
					window.hashesPerSecond(), window.coresByService()));
			return OptionalDouble.of(window.hashesPerSecond());
		}
	}

	/** Warms the stack up, then measures it over the window. */
	private Window measure(RunningStack stack, String step) throws IOException, InterruptedException {
		progress(step + ": warming up for " + this.options.warmup().toSeconds() + " s");
		Thread.sleep(this.options.warmup());
		try (RedisHashes hashes = new RedisHashes(this.options.redisPort())) {
			RedisHashes.Sample first = hashes.nextReport(stack);
			progress(step + ": measuring for " + this.options.window().toSeconds() + " s");
			Thread.sleep(
					Duration.ofNanos(Math.max(0, first.nanos() + this.options.window().toNanos() - System.nanoTime())));
			RedisHashes.Sample last = hashes.nextReport(stack);
			double seconds = (last.nanos() - first.nanos()) / 1e9;
			Map<String, Double> cores = new LinkedHashMap<>();
			last.cpu()
				.forEach((name, cpu) -> cores.merge(service(name),
						(cpu - first.cpu().getOrDefault(name, 0L)) / 1e9 / seconds, Double::sum));
			return new Window((last.hashes() - first.hashes()) / seconds, cores);
		}
	}

	private void progress(String message) {
		this.out.println(String.format("%-8s | ", "bench") + message);
	}

	/** The service a process belongs to: {@code rng-4242} is an rng. */
	static String service(String processName) {
		return processName.replaceFirst("-\\d+$", "");
	}

	/** The java that runs bench, which runs the launcher too. */
	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Asks bench's child processes (the launcher, or the original's processes) to stop,
	 * and waits for them a while.
	 */
	private static void stopChildren() {
		List<ProcessHandle> children = ProcessHandle.current().children().toList();
		children.forEach(ProcessHandle::destroy);
		children.forEach((child) -> child.onExit().completeOnTimeout(child, 60, TimeUnit.SECONDS).join());
	}

	/** The rate and the CPU by service that one stack showed over the window. */
	record Window(double hashesPerSecond, Map<String, Double> cores) {

		String coresByService() {
			return this.cores.entrySet()
				.stream()
				.map((service) -> String.format(Locale.ROOT, "%s %.2f", service.getKey(), service.getValue()))
				.collect(Collectors.joining(", "));
		}

	}

}

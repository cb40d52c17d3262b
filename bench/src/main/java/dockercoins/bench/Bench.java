package dockercoins.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dockercoins.launcher.Launcher;

/**
 * Measures a grid of configurations: for each, starts a fresh stack with the launcher's
 * jar (and, with {@code --original}, the original stack after it), lets it warm up, then
 * measures the rise of {@code hashes} in Redis and the CPU time (with {@code --memory},
 * the resident memory too) of each process over a window, and prints the table of
 * {@link BenchReport}. With {@code --start-up}, times the launcher's start instead.
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
				if (options.startUps() > 0) {
					System.out.println();
					System.out.print(bench.startUps());
					return 0;
				}
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
			try (RunningStack stack = OurStack.start(this.options.launcherJar(), this.options.launcherArguments(config),
					this.log)) {
				ours = measure(stack, step, "our stack");
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
		try (RunningStack stack = OriginalStack.start(this.tools, this.sources, this.options.stack(config),
				this.logFile)) {
			Window window = measure(stack, step + " (original)", "the original stack");
			progress(String.format(Locale.ROOT, "%s: the original, %.1f hashes/s; CPU (cores): %s", step,
					window.hashesPerSecond(), window.coresByService()));
			return OptionalDouble.of(window.hashesPerSecond());
		}
	}

	/**
	 * Times each launcher's start-up, {@code --start-up} times, the launchers' runs
	 * alternating; answers a table of each run and the medians.
	 */
	String startUps() throws IOException, InterruptedException {
		List<String> services = new ArrayList<>();
		List<List<String>> rows = new ArrayList<>();
		Map<String, List<Double>> seconds = new LinkedHashMap<>();
		for (BenchConfig config : this.options.configs()) {
			for (int run = 1; run <= this.options.startUps(); run++) {
				for (Path jar : this.options.launcherJars()) {
					String name = jar + ((this.options.configs().size() > 1) ? ", " + config.name() : "");
					try (OurStack stack = OurStack.start(jar, this.options.launcherArguments(config), this.log)) {
						double startUp = stack.startUp().toNanos() / 1e9;
						seconds.computeIfAbsent(name, (key) -> new ArrayList<>()).add(startUp);
						Map<String, Double> started = stack.started();
						started.keySet()
							.stream()
							.filter((service) -> !services.contains(service))
							.forEach(services::add);
						List<String> row = new ArrayList<>(List.of(name, String.valueOf(run), seconds(startUp)));
						services.forEach((service) -> row
							.add(started.containsKey(service) ? seconds(started.get(service)) : "-"));
						rows.add(row);
						progress(String.format(Locale.ROOT, "run %d of %s: %.2f s; Started ... in: %s", run, name,
								startUp, started));
					}
				}
			}
		}
		List<String> header = new ArrayList<>(List.of("launcher", "run", "until \"" + Launcher.RUNNING + "\""));
		services.forEach((service) -> header.add("Started in: " + service));
		rows.addFirst(header);
		rows.forEach((row) -> {
			while (row.size() < header.size()) {
				row.add("-");
			}
		});
		StringBuilder report = new StringBuilder(BenchReport.markdown(rows)).append('\n');
		seconds.forEach((name, times) -> report
			.append(String.format(Locale.ROOT, "%s: median of %d, %.2f s (%s to %s)%n", name, times.size(),
					median(times), seconds(Collections.min(times)), seconds(Collections.max(times)))));
		return report.toString();
	}

	/** Warms the stack up, then measures it over the window. */
	private Window measure(RunningStack stack, String step, String which) throws IOException, InterruptedException {
		progress(step + ": warming up for " + this.options.warmup().toSeconds() + " s");
		Thread.sleep(this.options.warmup());
		try (RedisHashes hashes = new RedisHashes(this.options.redisPort())) {
			RedisHashes.Sample first = hashes.nextReport(stack);
			Map<String, ResidentMemory> memoryBefore = memory(stack);
			progress(step + ": measuring for " + this.options.window().toSeconds() + " s");
			Thread.sleep(
					Duration.ofNanos(Math.max(0, first.nanos() + this.options.window().toNanos() - System.nanoTime())));
			RedisHashes.Sample last = hashes.nextReport(stack);
			if (this.options.memory()) {
				this.out.printf("%nResident memory of %s, %s (MB):%n%n%s%n", which, step,
						memoryTable(memoryBefore, memory(stack)));
			}
			double seconds = (last.nanos() - first.nanos()) / 1e9;
			Map<String, Double> cores = new LinkedHashMap<>();
			last.cpu()
				.forEach((name, cpu) -> cores.merge(service(name),
						(cpu - first.cpu().getOrDefault(name, 0L)) / 1e9 / seconds, Double::sum));
			return new Window((last.hashes() - first.hashes()) / seconds, cores);
		}
	}

	/** Each process's resident memory now, if {@code --memory} asks for it. */
	private Map<String, ResidentMemory> memory(RunningStack stack) {
		Map<String, ResidentMemory> memory = new TreeMap<>();
		if (this.options.memory()) {
			stack.processes()
				.forEach((name, process) -> ResidentMemory.of(process).ifPresent((rss) -> memory.put(name, rss)));
		}
		return memory;
	}

	/**
	 * Each process's VmRSS at the window's start and end, and of its end, RssAnon (its
	 * own) and RssFile (mapped files).
	 */
	static String memoryTable(Map<String, ResidentMemory> start, Map<String, ResidentMemory> end) {
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("process", "VmRSS, start", "VmRSS, end", "growth", "RssAnon, end", "RssFile, end"));
		new TreeMap<>(end).forEach((name, last) -> {
			ResidentMemory first = start.get(name);
			rows.add(List.of(name, (first != null) ? megabytes(first.total()) : "-", megabytes(last.total()),
					(first != null) ? String.format(Locale.ROOT, "%+.1f%%",
							100.0 * (last.total() - first.total()) / first.total()) : "-",
					megabytes(last.own()), megabytes(last.files())));
		});
		return BenchReport.markdown(rows);
	}

	/** The middle value, or the mean of the two middle ones. */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static String megabytes(long kilobytes) {
		return String.valueOf(kilobytes / 1024);
	}

	private static String seconds(double seconds) {
		return String.format(Locale.ROOT, "%.2f s", seconds);
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

package dockercoins.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dockercoins.launcher.LaunchOptions;
import dockercoins.launcher.Launcher;

/**
 * The command line of {@code bench}.
 *
 * @param configs the configurations to measure, in order
 * @param warmup how long each stack runs before the window
 * @param window how long the rate is measured
 * @param port the web UI's port; the other services use the ports after it, as the
 * launcher lays them out
 * @param redisPort port of the Redis server started for each configuration
 * @param csv where to write the table as CSV, or null
 * @param json where to write the table as JSON, or null
 * @param launcherJars the launcher's jars, which start our stacks: one, or several whose
 * start-ups are compared
 * @param original whether the original stack is measured too, after ours, for each
 * configuration
 * @param originalDirectory where the original services' code is
 * @param memory whether the resident memory of each process is given too
 * @param startUps how many times each launcher's start-up is measured instead of the
 * rate, or 0
 * @param help whether only the usage was asked for
 */
record BenchOptions(List<BenchConfig> configs, Duration warmup, Duration window, int port, int redisPort, Path csv,
		Path json, List<Path> launcherJars, boolean original, Path originalDirectory, boolean memory, int startUps,
		boolean help) {

	static final String USAGE = """
			Usage: java -jar bench/target/dockercoins-bench.jar [options]
			Starts a fresh stack with the launcher for each configuration, lets it warm up, measures
			the rise of `hashes` over a window and the CPU each process used, and prints a table with
			the throughput model's prediction; with --original, the original stack beside ours.
			  --config C        what to measure (repeatable; default: the whole grid): a row of the
			                    grid (%s),
			                    a group (all, workshop, zero), or settings such as
			                    workers=10,rng=5,WORKER_SLEEP=10ms; in settings, zero stands for
			                    WORKER_SLEEP, RNG_LATENCY, HASHER_LATENCY = 0 and no concurrency limit
			  --warmup D        time each stack runs before the window (default 20s)
			  --window D        the measuring window (default 15s)
			  --port P          web UI port of each stack (default 8000), the others after it
			  --redis-port P    port of the Redis server of each stack (default 6379)
			  --csv FILE        also write the table as CSV
			  --json FILE       also write the table as JSON
			  --launcher-jar F  the launcher (default launcher/target/dockercoins-launcher.jar);
			                    repeatable with --start-up, to compare launchers
			  --original        also measure the original Python/Ruby stack on the same settings,
			                    after ours for each configuration, and give the ratio
			  --original-dir D  the original's code (default %s)
			  --memory          also give each process's resident memory (VmRSS, at the window's
			                    start and end; RssAnon, its own, and RssFile, mapped files, at the
			                    end): a soak is --config w10 --warmup 60s --window 10m --memory
			  --start-up N      instead of the rate: time N starts of the launcher, from `java -jar`
			                    to its line "%s", with each service's "Started ... in",
			                    and their medians; the launchers' runs alternate (default --config:
			                    the launcher's defaults, one worker and one rng)
			  --help            show this text
			The services' output goes to a log file whose name bench prints first.
			""".formatted(String.join(", ", BenchConfig.GRID.stream().map(BenchConfig::name).toList()),
			OriginalSources.DEFAULT_DIRECTORY, Launcher.RUNNING);

	static BenchOptions parse(String... args) {
		List<BenchConfig> configs = new ArrayList<>();
		Duration warmup = Duration.ofSeconds(20);
		Duration window = Duration.ofSeconds(15);
		int port = 8000;
		int redisPort = 6379;
		Path csv = null;
		Path json = null;
		List<Path> launcherJars = new ArrayList<>();
		boolean original = false;
		Path originalDirectory = Path.of(OriginalSources.DEFAULT_DIRECTORY);
		boolean memory = false;
		int startUps = 0;
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (option.equals("--help") || option.equals("-h")) {
				return new BenchOptions(BenchConfig.GRID, warmup, window, port, redisPort, null, null, List.of(), false,
						originalDirectory, false, 0, true);
			}
			if (option.equals("--original") || option.equals("--memory")) {
				original |= option.equals("--original");
				memory |= option.equals("--memory");
				continue;
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Unknown option or missing value: " + option);
			}
			String value = args[++i];
			switch (option) {
				case "--config" -> configs.addAll(BenchConfig.parse(value));
				case "--warmup" -> warmup = duration(option, value, Duration.ZERO);
				case "--window" -> window = duration(option, value, Duration.ofSeconds(1));
				// The launcher's own checks: a web UI port leaves room for the ports
				// after it.
				case "--port" -> port = LaunchOptions.parse(option, value).port();
				case "--redis-port" -> redisPort = LaunchOptions.parse(option, value).redisPort();
				case "--csv" -> csv = Path.of(value);
				case "--json" -> json = Path.of(value);
				case "--launcher-jar" -> launcherJars.add(Path.of(value));
				case "--original-dir" -> originalDirectory = Path.of(value);
				case "--start-up" -> startUps = runs(value);
				default -> throw new IllegalArgumentException("Unknown option: " + option);
			}
		}
		if (launcherJars.isEmpty()) {
			launcherJars.add(Path.of("launcher/target/dockercoins-launcher.jar"));
		}
		if (launcherJars.size() > 1 && startUps == 0) {
			throw new IllegalArgumentException("Several --launcher-jar are for comparing start-ups, with --start-up");
		}
		if (memory && !Files.isDirectory(Path.of("/proc/self"))) {
			throw new IllegalArgumentException("--memory reads /proc, which Linux has and this system has not");
		}
		if (configs.isEmpty()) {
			configs = (startUps > 0) ? BenchConfig.parse("w1") : BenchConfig.GRID;
		}
		return new BenchOptions(List.copyOf(configs), warmup, window, port, redisPort, csv, json,
				List.copyOf(launcherJars), original, originalDirectory, memory, startUps, false);
	}

	/** The launcher's command line for one configuration. */
	List<String> launcherArguments(BenchConfig config) {
		List<String> arguments = new ArrayList<>(
				List.of("--port", String.valueOf(this.port), "--redis-port", String.valueOf(this.redisPort),
						"--workers", String.valueOf(config.workers()), "--rng", String.valueOf(config.rngInstances())));
		for (Map.Entry<String, String> variable : new TreeMap<>(config.environment()).entrySet()) {
			arguments.add("--env");
			arguments.add(variable.getKey() + "=" + variable.getValue());
		}
		return arguments;
	}

	/**
	 * The stack the launcher starts for one configuration, as it reads its command line:
	 * the original stack gets the same ports.
	 */
	LaunchOptions stack(BenchConfig config) {
		return LaunchOptions.parse(launcherArguments(config).toArray(String[]::new));
	}

	/** The launcher of a single-launcher run. */
	Path launcherJar() {
		return this.launcherJars.getFirst();
	}

	private static int runs(String value) {
		if (!value.matches("[1-9][0-9]{0,2}")) {
			throw new IllegalArgumentException("--start-up takes a number of runs from 1 to 999, not '" + value + "'");
		}
		return Integer.parseInt(value);
	}

	private static Duration duration(String option, String value, Duration min) {
		try {
			Duration duration = ThroughputModel.duration(value);
			if (duration.compareTo(min) >= 0) {
				return duration;
			}
		}
		catch (RuntimeException ex) {
			// Reported below with an example.
		}
		throw new IllegalArgumentException(option + " takes a duration of at least " + min.toSeconds()
				+ "s such as 20s or 500ms, not '" + value + "'");
	}

}

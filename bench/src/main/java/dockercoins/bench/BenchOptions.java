package dockercoins.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command line of {@code bench}.
 *
 * @param configs the configurations to measure, in order
 * @param warmup how long each stack runs before the window
 * @param window how long the rate is measured
 * @param port the web UI's port; the other services use the ports after it, as in the
 * launcher
 * @param redisPort port of the Redis server started for each configuration
 * @param csv where to write the table as CSV, or null
 * @param json where to write the table as JSON, or null
 * @param launcherJar the launcher's jar, which starts each of our stacks
 * @param original whether the original stack is measured too, after ours, for each
 * configuration
 * @param originalDirectory where the original services' code is
 * @param help whether only the usage was asked for
 */
record BenchOptions(List<BenchConfig> configs, Duration warmup, Duration window, int port, int redisPort, Path csv,
		Path json, Path launcherJar, boolean original, Path originalDirectory, boolean help) {

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
			  --launcher-jar F  the launcher (default launcher/target/dockercoins-launcher.jar)
			  --original        also measure the original Python/Ruby stack on the same settings,
			                    after ours for each configuration, and give the ratio
			  --original-dir D  the original's code (default %s)
			  --help            show this text
			""".formatted(String.join(", ", BenchConfig.GRID.stream().map(BenchConfig::name).toList()),
			OriginalSources.DEFAULT_DIRECTORY);

	/** The highest web UI port: the launcher puts up to 100 rng on the ports after it. */
	private static final int HIGHEST_PORT = 65_535 - 3 - 100;

	static BenchOptions parse(String... args) {
		List<BenchConfig> configs = new ArrayList<>();
		Duration warmup = Duration.ofSeconds(20);
		Duration window = Duration.ofSeconds(15);
		int port = 8000;
		int redisPort = 6379;
		Path csv = null;
		Path json = null;
		Path launcherJar = Path.of("launcher/target/dockercoins-launcher.jar");
		boolean original = false;
		Path originalDirectory = Path.of(OriginalSources.DEFAULT_DIRECTORY);
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (option.equals("--help") || option.equals("-h")) {
				return new BenchOptions(BenchConfig.GRID, warmup, window, port, redisPort, null, null, launcherJar,
						false, originalDirectory, true);
			}
			if (option.equals("--original")) {
				original = true;
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
				case "--port" -> port = number(option, value, 1, HIGHEST_PORT);
				case "--redis-port" -> redisPort = number(option, value, 1, 65_535);
				case "--csv" -> csv = Path.of(value);
				case "--json" -> json = Path.of(value);
				case "--launcher-jar" -> launcherJar = Path.of(value);
				case "--original-dir" -> originalDirectory = Path.of(value);
				default -> throw new IllegalArgumentException("Unknown option: " + option);
			}
		}
		return new BenchOptions(configs.isEmpty() ? BenchConfig.GRID : List.copyOf(configs), warmup, window, port,
				redisPort, csv, json, launcherJar, original, originalDirectory, false);
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

	static int number(String option, String value, int min, int max) {
		try {
			int number = Integer.parseInt(value);
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below with the accepted range.
		}
		throw new IllegalArgumentException(
				option + " takes a whole number from " + min + " to " + max + ", not '" + value + "'");
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

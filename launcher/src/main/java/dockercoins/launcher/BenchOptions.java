package dockercoins.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * @param help whether only the usage was asked for
 */
record BenchOptions(List<BenchConfig> configs, Duration warmup, Duration window, int port, int redisPort, Path csv,
		Path json, boolean help) {

	static final String USAGE = """
			Usage: java -jar dockercoins-launcher.jar bench [options]
			Starts a fresh stack for each configuration, lets it warm up, measures the rise of
			`hashes` over a window and the CPU each process used, and prints a table with the
			throughput model's prediction (see README.md, "Benchmark").
			  --config C      what to measure (repeatable; default: the whole grid): a row of the
			                  grid (%s),
			                  a group (all, workshop, zero), or settings such as
			                  workers=10,rng=5,WORKER_SLEEP=10ms; in settings, zero stands for
			                  WORKER_SLEEP, RNG_LATENCY, HASHER_LATENCY = 0 and no concurrency limit
			  --warmup D      time each stack runs before the window (default 20s)
			  --window D      the measuring window (default 15s)
			  --port P        web UI port of each stack (default 8000), the others after it
			  --redis-port P  port of the Redis server of each stack (default 6379)
			  --csv FILE      also write the table as CSV
			  --json FILE     also write the table as JSON
			  --help          show this text
			""".formatted(String.join(", ", BenchConfig.GRID.stream().map(BenchConfig::name).toList()));

	static BenchOptions parse(String... args) {
		List<BenchConfig> configs = new ArrayList<>();
		Duration warmup = Duration.ofSeconds(20);
		Duration window = Duration.ofSeconds(15);
		int port = 8000;
		int redisPort = 6379;
		Path csv = null;
		Path json = null;
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (option.equals("--help") || option.equals("-h")) {
				return new BenchOptions(BenchConfig.GRID, warmup, window, port, redisPort, null, null, true);
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Unknown option or missing value: " + option);
			}
			String value = args[++i];
			switch (option) {
				case "--config" -> configs.addAll(BenchConfig.parse(value));
				case "--warmup" -> warmup = duration(option, value, Duration.ZERO);
				case "--window" -> window = duration(option, value, Duration.ofSeconds(1));
				case "--port" -> port = LaunchOptions.number(option, value, 1, LaunchOptions.HIGHEST_PORT);
				case "--redis-port" -> redisPort = LaunchOptions.number(option, value, 1, 65_535);
				case "--csv" -> csv = Path.of(value);
				case "--json" -> json = Path.of(value);
				default -> throw new IllegalArgumentException("Unknown option: " + option);
			}
		}
		return new BenchOptions(configs.isEmpty() ? BenchConfig.GRID : List.copyOf(configs), warmup, window, port,
				redisPort, csv, json, false);
	}

	/** The launcher's options for one configuration. */
	LaunchOptions launchOptions(BenchConfig config) {
		return new LaunchOptions(config.workers(), config.rngInstances(), this.port, this.redisPort, null,
				config.environment(), false);
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

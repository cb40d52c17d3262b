package dockercoins.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dockercoins.launcher.LaunchOptions;

/**
 * One configuration the benchmark measures: a stack started by the launcher with these
 * settings, and the original stack with the same ones.
 *
 * @param name how the table names it
 * @param workers mining loops in the worker process
 * @param rngInstances rng processes
 * @param environment variables given to every service
 */
record BenchConfig(String name, int workers, int rngInstances, Map<String, String> environment) {

	/** No latency, no sleep, no concurrency limit: the stack runs as fast as it can. */
	static final Map<String, String> ZERO_LATENCY = Map.of("WORKER_SLEEP", "0", "RNG_LATENCY", "0", "HASHER_LATENCY",
			"0", "RNG_CONCURRENCY", "0", "HASHER_CONCURRENCY", "0");

	/** The workshop's bottleneck. */
	static final List<BenchConfig> WORKSHOP = List.of(new BenchConfig("w1", 1, 1, Map.of()),
			new BenchConfig("w2", 2, 1, Map.of()), new BenchConfig("w5", 5, 1, Map.of()),
			new BenchConfig("w10", 10, 1, Map.of()), new BenchConfig("w10-rng5", 10, 5, Map.of()),
			new BenchConfig("w10-rng5-sleep10ms", 10, 5, Map.of("WORKER_SLEEP", "10ms")));

	/** The stack without its artificial latencies. */
	static final List<BenchConfig> ZERO = List.of(zero(4), zero(16), zero(64));

	/** The default grid. */
	static final List<BenchConfig> GRID = concat(WORKSHOP, ZERO);

	/**
	 * Whether the stack's CPU is what limits it, so that the CPU per service is what the
	 * row is about.
	 */
	boolean zeroLatency() {
		return this.environment.entrySet().containsAll(ZERO_LATENCY.entrySet());
	}

	/**
	 * The model's prediction for this configuration (one hasher), or empty if unbounded.
	 */
	OptionalDouble model() {
		return ThroughputModel.of(this.environment).hashesPerSecond(this.workers, this.rngInstances, 1);
	}

	/**
	 * The configurations a {@code --config} value names: a row or a group of the default
	 * grid ({@code workshop}, {@code zero}, {@code all}), or settings such as
	 * {@code workers=10,rng=5,WORKER_SLEEP=10ms}, where {@code zero} stands for
	 * {@link #ZERO_LATENCY}.
	 */
	static List<BenchConfig> parse(String value) {
		switch (value) {
			case "all" -> {
				return GRID;
			}
			case "workshop" -> {
				return WORKSHOP;
			}
			case "zero" -> {
				return ZERO;
			}
			default -> {
				List<BenchConfig> named = GRID.stream().filter((config) -> config.name().equals(value)).toList();
				return named.isEmpty() ? List.of(settings(value)) : named;
			}
		}
	}

	private static BenchConfig settings(String value) {
		int workers = 1;
		int rngInstances = 1;
		Map<String, String> environment = new LinkedHashMap<>();
		for (String setting : value.split(",")) {
			String[] keyAndValue = setting.strip().split("=", 2);
			String key = keyAndValue[0];
			if (keyAndValue.length == 1 && key.equals("zero")) {
				environment.putAll(ZERO_LATENCY);
				continue;
			}
			if (keyAndValue.length != 2 || key.isEmpty()) {
				throw new IllegalArgumentException("--config takes a row of the grid (" + names()
						+ "), a group (all, workshop, zero) or settings like workers=10,rng=5,WORKER_SLEEP=10ms, not '"
						+ value + "'");
			}
			try {
				// The launcher's own checks, on the option each setting becomes.
				switch (key) {
					case "workers" -> workers = LaunchOptions.parse("--workers", keyAndValue[1]).workers();
					case "rng" -> rngInstances = LaunchOptions.parse("--rng", keyAndValue[1]).rngInstances();
					default -> environment.putAll(LaunchOptions.parse("--env", setting.strip()).environment());
				}
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("--config " + value + ": " + ex.getMessage());
			}
		}
		BenchConfig config = new BenchConfig(value, workers, rngInstances, Map.copyOf(environment));
		try {
			config.model();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"--config " + value + ": a latency, sleep or concurrency is not valid (" + ex.getMessage() + ")");
		}
		return config;
	}

	private static String names() {
		return String.join(", ", GRID.stream().map(BenchConfig::name).toList());
	}

	private static BenchConfig zero(int workers) {
		return new BenchConfig("zero-w" + workers, workers, 1, ZERO_LATENCY);
	}

	private static List<BenchConfig> concat(List<BenchConfig> first, List<BenchConfig> second) {
		List<BenchConfig> all = new ArrayList<>(first);
		all.addAll(second);
		return List.copyOf(all);
	}

}

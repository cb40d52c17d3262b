package dockercoins.bench;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the benchmark measured for one configuration.
 *
 * @param config the configuration
 * @param hashesPerSecond the rise of {@code hashes} over the window, per second
 * @param cores CPU time used during the window per second of window, by service (rng
 * instances added up): 1.0 is one core kept busy
 * @param original the same rate measured on the original stack in the same run, or empty
 * when it was not measured
 */
record BenchResult(BenchConfig config, double hashesPerSecond, Map<String, Double> cores, OptionalDouble original) {

	/** The services in the order the table shows their CPU. */
	static final String[] SERVICES = { "worker", "rng", "hasher", "webui", "redis" };

	/** Measured over predicted, or empty when the model gives no bound. */
	OptionalDouble ratio() {
		return ratio(this.hashesPerSecond, this.config.model());
	}

	/** How many times the original's rate ours is, or empty without the original's. */
	OptionalDouble versusOriginal() {
		return ratio(this.hashesPerSecond, this.original);
	}

	double cores(String service) {
		return this.cores.getOrDefault(service, 0.0);
	}

	double totalCores() {
		return this.cores.values().stream().mapToDouble(Double::doubleValue).sum();
	}

	private static OptionalDouble ratio(double rate, OptionalDouble reference) {
		return (reference.isPresent() && reference.getAsDouble() > 0)
				? OptionalDouble.of(rate / reference.getAsDouble()) : OptionalDouble.empty();
	}

}

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
 */
record BenchResult(BenchConfig config, double hashesPerSecond, Map<String, Double> cores) {

	/** The services in the order the table shows their CPU. */
	static final String[] SERVICES = { "worker", "rng", "hasher", "webui", "redis" };

	/** Measured over predicted, or empty when the model gives no bound. */
	OptionalDouble ratio() {
		OptionalDouble model = this.config.model();
		return model.isPresent() ? OptionalDouble.of(this.hashesPerSecond / model.getAsDouble())
				: OptionalDouble.empty();
	}

	double cores(String service) {
		return this.cores.getOrDefault(service, 0.0);
	}

	double totalCores() {
		return this.cores.values().stream().mapToDouble(Double::doubleValue).sum();
	}

}

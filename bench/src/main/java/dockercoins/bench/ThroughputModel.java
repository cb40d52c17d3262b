package dockercoins.bench;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workshop's throughput model: with W mining loops, R rng and H hasher instances,
 * {@code min(W / (sleep + rng latency + hasher latency), R × rng concurrency /
 * rng latency, H × hasher concurrency / hasher latency)} hashes per second. A concurrency
 * of 0 is unlimited, and a term divided by a zero latency has no bound.
 *
 * @param sleep the worker's pause at the start of each loop
 * @param rngLatency rng's delay before each answer
 * @param rngConcurrency requests one rng serves at once, 0 for unlimited
 * @param hasherLatency hasher's delay before each answer
 * @param hasherConcurrency requests one hasher serves at once, 0 for unlimited
 */
record ThroughputModel(Duration sleep, Duration rngLatency, int rngConcurrency, Duration hasherLatency,
		int hasherConcurrency) {

	private static final Pattern SPRING_DURATION = Pattern.compile("(-?\\d+)(ns|us|ms|s|m|h|d)?");

	/** The services' settings from their environment variables, else their defaults. */
	static ThroughputModel of(Map<String, String> environment) {
		return new ThroughputModel(duration(environment.getOrDefault("WORKER_SLEEP", "100ms")),
				duration(environment.getOrDefault("RNG_LATENCY", "100ms")),
				Integer.parseInt(environment.getOrDefault("RNG_CONCURRENCY", "1")),
				duration(environment.getOrDefault("HASHER_LATENCY", "100ms")),
				Integer.parseInt(environment.getOrDefault("HASHER_CONCURRENCY", "20")));
	}

	/**
	 * The predicted hashes per second, or empty when no term bounds it (every latency 0).
	 */
	OptionalDouble hashesPerSecond(int workers, int rngInstances, int hasherInstances) {
		double loop = seconds(this.sleep) + seconds(this.rngLatency) + seconds(this.hasherLatency);
		double rate = Math.min(perSecond(workers, 1, loop),
				Math.min(perSecond(rngInstances, this.rngConcurrency, seconds(this.rngLatency)),
						perSecond(hasherInstances, this.hasherConcurrency, seconds(this.hasherLatency))));
		return Double.isInfinite(rate) ? OptionalDouble.empty() : OptionalDouble.of(rate);
	}

	private static double perSecond(int instances, int concurrency, double seconds) {
		return (concurrency == 0 || seconds == 0) ? Double.POSITIVE_INFINITY : instances * concurrency / seconds;
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	/**
	 * A duration in Spring Boot's syntax: {@code 100ms}, {@code 1s}, a bare number of
	 * milliseconds, or ISO-8601 ({@code PT0.1S}).
	 */
	static Duration duration(String text) {
		Matcher simple = SPRING_DURATION.matcher(text.strip());
		if (!simple.matches()) {
			return Duration.parse(text.strip());
		}
		long amount = Long.parseLong(simple.group(1));
		String unit = (simple.group(2) != null) ? simple.group(2) : "ms";
		return switch (unit) {
			case "ns" -> Duration.ofNanos(amount);
			case "us" -> Duration.ofNanos(amount * 1000);
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			default -> Duration.ofDays(amount);
		};
	}

}

package dockercoins.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The worker's meters: hashes and coins, the time of each step of the loop, failed loops.
 */
@Component
class MiningMetrics {

	/** The steps of the loop, in their order. */
	static final List<String> STEPS = List.of("sleep", "rng", "hasher", "redis");

	private final MeterRegistry registry;

	private final Counter hashes;

	private final Counter coins;

	private final Map<String, Timer> steps;

	MiningMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.hashes = Counter.builder("dockercoins.hashes")
			.description("Loops done (hashes computed)")
			.register(registry);
		this.coins = Counter.builder("dockercoins.coins").description("Coins found").register(registry);
		this.steps = STEPS.stream()
			.collect(Collectors.toMap((step) -> step,
					(step) -> Timer.builder("dockercoins.worker.step")
						.description("Time spent in each step of the mining loop")
						.tag("step", step)
						.register(registry)));
	}

	<T> T time(String step, Supplier<T> action) {
		return this.steps.get(step).record(action);
	}

	void sleep(Duration duration) throws InterruptedException {
		long start = System.nanoTime();
		try {
			Thread.sleep(duration);
		}
		finally {
			this.steps.get("sleep").record(Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/** How often each step has run so far, and for how long in all. */
	Map<String, StepTotal> stepTotals() {
		Map<String, StepTotal> totals = new LinkedHashMap<>();
		for (String step : STEPS) {
			Timer timer = this.steps.get(step);
			totals.put(step, new StepTotal(timer.count(), timer.totalTime(TimeUnit.SECONDS)));
		}
		return totals;
	}

	void hashDone() {
		this.hashes.increment();
	}

	double hashesDone() {
		return this.hashes.count();
	}

	void coinFound() {
		this.coins.increment();
	}

	void loopFailed(String cause) {
		Counter.builder("dockercoins.worker.failures")
			.description("Failed loops, by the step that failed")
			.tag("cause", cause)
			.register(this.registry)
			.increment();
	}

	/** A step's runs so far and their total time. */
	record StepTotal(long count, double seconds) {
	}

}

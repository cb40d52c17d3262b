package dockercoins.worker;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The worker's meters: hashes and coins, the time of each step of the loop, failed loops.
 */
@Component
class MiningMetrics {

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
		this.steps = Stream.of("sleep", "rng", "hasher", "redis")
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

}

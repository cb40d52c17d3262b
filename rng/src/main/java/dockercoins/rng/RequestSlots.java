package dockercoins.rng;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Serves work after a fixed latency, a limited number at a time; the rest wait in arrival
 * order. This is what makes one instance a bottleneck, as in the original application.
 */
class RequestSlots {

	private final Duration latency;

	/** Null when the concurrency is unlimited. */
	private final Semaphore slots;

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicInteger active = new AtomicInteger();

	private final Timer waitTimer;

	RequestSlots(Duration latency, int concurrency, MeterRegistry registry) {
		this.latency = latency;
		this.slots = (concurrency > 0) ? new Semaphore(concurrency, true) : null;
		this.waitTimer = Timer.builder("dockercoins.slot.wait")
			.description("Time a request waits for a free slot under the concurrency limit")
			.publishPercentileHistogram()
			.register(registry);
		Gauge.builder("dockercoins.requests.waiting", this.waiting, AtomicInteger::get)
			.description("Requests waiting for a free slot")
			.register(registry);
		Gauge.builder("dockercoins.requests.active", this.active, AtomicInteger::get)
			.description("Requests holding a slot")
			.register(registry);
	}

	/** Waits for a slot, then for the latency, then does the work. */
	<T> T serve(Supplier<T> work) throws InterruptedException {
		return inSlot(this.latency, work);
	}

	/**
	 * Waits for a slot and does the work at once. The original served every request on
	 * its single thread, so even its banner answered late under load: that is what
	 * {@code httping} shows in the workshop.
	 */
	<T> T serveWithoutLatency(Supplier<T> work) throws InterruptedException {
		return inSlot(Duration.ZERO, work);
	}

	private <T> T inSlot(Duration delay, Supplier<T> work) throws InterruptedException {
		acquire();
		this.active.incrementAndGet();
		try {
			Thread.sleep(delay);
			return work.get();
		}
		finally {
			this.active.decrementAndGet();
			if (this.slots != null) {
				this.slots.release();
			}
		}
	}

	int waiting() {
		return this.waiting.get();
	}

	private void acquire() throws InterruptedException {
		long start = System.nanoTime();
		this.waiting.incrementAndGet();
		try {
			if (this.slots != null) {
				this.slots.acquire();
			}
		}
		finally {
			this.waiting.decrementAndGet();
			this.waitTimer.record(Duration.ofNanos(System.nanoTime() - start));
		}
	}

}

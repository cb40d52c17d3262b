package dockercoins.hasher;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Serves work after a fixed latency, a limited number at a time; the rest wait in arrival
 * order. This is what makes one instance a bottleneck, as in the original application.
 * The queue is bounded, so that a flood of requests cannot exhaust the memory: past its
 * limit a request gets 503 at once, with a {@code Retry-After} of the time the queue
 * takes to drain.
 */
class RequestSlots {

	private final Duration latency;

	/** Null when the concurrency is unlimited. */
	private final Semaphore slots;

	private final int maxWaiting;

	/** Seconds a full queue takes to drain. */
	private final long drainSeconds;

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicInteger active = new AtomicInteger();

	private final Timer waitTimer;

	private final Counter rejected;

	RequestSlots(Duration latency, int concurrency, int maxWaiting, MeterRegistry registry) {
		this.latency = latency;
		this.slots = (concurrency > 0) ? new Semaphore(concurrency, true) : null;
		this.maxWaiting = maxWaiting;
		this.drainSeconds = Math.max(1,
				(long) Math.ceil(maxWaiting * latency.toNanos() / (1e9 * Math.max(1, concurrency))));
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
		this.rejected = Counter.builder("dockercoins.requests.rejected")
			.description("Requests turned away because the queue was full")
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
		if (this.waiting.incrementAndGet() > this.maxWaiting && this.slots != null) {
			this.waiting.decrementAndGet();
			this.rejected.increment();
			throw queueFull();
		}
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

	private ErrorResponseException queueFull() {
		ErrorResponseException busy = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE);
		busy.setDetail(this.maxWaiting + " requests are already waiting; try again later");
		busy.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(this.drainSeconds));
		return busy;
	}

}

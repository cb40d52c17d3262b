package dockercoins.rng;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class RequestSlotsTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final List<String> served = new CopyOnWriteArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stopExecutor() {
		this.executor.shutdownNow();
	}

	@Test
	void servesOneAtATimeInArrivalOrder() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 1, 100, this.registry);
		Future<String> first = holdTheOnlySlot(slots);
		Future<String> second = queue(slots, "second", 1);
		Future<String> third = queue(slots, "third", 2);
		assertThat(this.served).containsExactly("first");
		this.release.countDown();
		assertThat(List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS),
				third.get(5, TimeUnit.SECONDS)))
			.containsExactly("first", "second", "third");
		assertThat(this.served).containsExactly("first", "second", "third");
	}

	@Test
	void servesEveryoneAtOnceWhenConcurrencyIsZero() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 0, 100, this.registry);
		CountDownLatch bothInside = new CountDownLatch(2);
		Future<Boolean> first = this.executor.submit(() -> slots.serve(() -> meet(bothInside)));
		Future<Boolean> second = this.executor.submit(() -> slots.serve(() -> meet(bothInside)));
		assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void answersNoSoonerThanTheLatency() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ofMillis(50), 1, 100, this.registry);
		long start = System.nanoTime();
		slots.serve(() -> "done");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
	}

	@Test
	void answersWithoutTheLatencyWhenAsked() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ofHours(1), 1, 100, this.registry);
		// Answered within the test's time: an hour of latency would have made it fail.
		assertThat(this.executor.submit(() -> slots.serveWithoutLatency(() -> "banner")).get(5, TimeUnit.SECONDS))
			.isEqualTo("banner");
	}

	@Test
	void queuesWorkWithoutLatencyForASlotToo() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 1, 100, this.registry);
		Future<String> first = holdTheOnlySlot(slots);
		Future<String> banner = this.executor.submit(() -> slots.serveWithoutLatency(() -> "banner"));
		await().until(() -> slots.waiting() == 1);
		assertThat(banner).isNotDone();
		this.release.countDown();
		assertThat(banner.get(5, TimeUnit.SECONDS)).isEqualTo("banner");
		first.get(5, TimeUnit.SECONDS);
	}

	@Test
	void measuresTheWaitForASlot() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 1, 100, this.registry);
		Future<String> first = holdTheOnlySlot(slots);
		Future<String> second = queue(slots, "second", 1);
		assertThat(this.registry.get("dockercoins.requests.waiting").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("dockercoins.requests.active").gauge().value()).isEqualTo(1);
		this.release.countDown();
		second.get(5, TimeUnit.SECONDS);
		first.get(5, TimeUnit.SECONDS);
		assertThat(this.registry.get("dockercoins.slot.wait").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("dockercoins.requests.active").gauge().value()).isZero();
	}

	@Test
	void turnsAwayRequestsPastTheQueueLimitUntilItDrains() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ofSeconds(1), 1, 2, this.registry);
		Future<String> first = holdTheOnlySlot(slots);
		Future<String> second = queue(slots, "second", 1);
		Future<String> third = queue(slots, "third", 2);
		assertThatExceptionOfType(ErrorResponseException.class).isThrownBy(() -> slots.serve(() -> "fourth"))
			.satisfies((busy) -> {
				assertThat(busy.getStatusCode().value()).isEqualTo(503);
				// Two waiting, one at a time, a second each.
				assertThat(busy.getHeaders().getFirst("Retry-After")).isEqualTo("2");
			});
		assertThat(this.registry.get("dockercoins.requests.rejected").counter().count()).isEqualTo(1);
		this.release.countDown();
		for (Future<String> served : List.of(first, second, third)) {
			served.get(10, TimeUnit.SECONDS);
		}
		assertThat(slots.serveWithoutLatency(() -> "after")).isEqualTo("after");
		assertThat(this.served).containsExactly("first", "second", "third");
	}

	/** Serves "first", which keeps its slot until {@code release} opens. */
	private Future<String> holdTheOnlySlot(RequestSlots slots) {
		Future<String> first = this.executor.submit(() -> slots.serve(() -> {
			this.served.add("first");
			awaitQuietly(this.release);
			return "first";
		}));
		await().until(() -> this.served.contains("first"));
		return first;
	}

	/**
	 * Serves {@code name} once {@code waiting} requests, this one included, wait for a
	 * slot.
	 */
	private Future<String> queue(RequestSlots slots, String name, int waiting) {
		Future<String> future = this.executor.submit(() -> slots.serve(() -> {
			this.served.add(name);
			return name;
		}));
		await().until(() -> slots.waiting() == waiting);
		return future;
	}

	private static boolean meet(CountDownLatch latch) {
		latch.countDown();
		return awaitQuietly(latch);
	}

	private static boolean awaitQuietly(CountDownLatch latch) {
		try {
			return latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}

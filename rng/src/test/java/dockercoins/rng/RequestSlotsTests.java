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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RequestSlotsTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final List<String> served = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopExecutor() {
		this.executor.shutdownNow();
	}

	@Test
	void servesOneAtATimeInArrivalOrder() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 1, this.registry);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		Future<String> first = serve(slots, "first", releaseFirst);
		await().until(() -> this.served.contains("first"));
		Future<String> second = serve(slots, "second", null);
		await().until(() -> slots.waiting() == 1);
		Future<String> third = serve(slots, "third", null);
		await().until(() -> slots.waiting() == 2);
		assertThat(this.served).containsExactly("first");
		releaseFirst.countDown();
		assertThat(List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS),
				third.get(5, TimeUnit.SECONDS)))
			.containsExactly("first", "second", "third");
		assertThat(this.served).containsExactly("first", "second", "third");
	}

	@Test
	void servesEveryoneAtOnceWhenConcurrencyIsZero() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 0, this.registry);
		CountDownLatch bothInside = new CountDownLatch(2);
		Future<Boolean> first = this.executor.submit(() -> slots.serve(() -> meet(bothInside)));
		Future<Boolean> second = this.executor.submit(() -> slots.serve(() -> meet(bothInside)));
		assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void answersNoSoonerThanTheLatency() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ofMillis(50), 1, this.registry);
		long start = System.nanoTime();
		slots.serve(() -> "done");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
	}

	@Test
	void queuesWorkWithoutLatencyForASlotToo() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ofHours(1), 1, this.registry);
		Future<String> first = this.executor.submit(() -> slots.serveWithoutLatency(() -> {
			this.served.add("first");
			return "first";
		}));
		// Answered at once: an hour of latency would have made the test time out.
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		RequestSlots busy = new RequestSlots(Duration.ZERO, 1, this.registry);
		CountDownLatch release = new CountDownLatch(1);
		Future<String> holder = serve(busy, "holder", release);
		await().until(() -> this.served.contains("holder"));
		Future<String> banner = this.executor.submit(() -> busy.serveWithoutLatency(() -> "banner"));
		await().until(() -> busy.waiting() == 1);
		assertThat(banner).isNotDone();
		release.countDown();
		assertThat(banner.get(5, TimeUnit.SECONDS)).isEqualTo("banner");
		holder.get(5, TimeUnit.SECONDS);
	}

	@Test
	void measuresTheWaitForASlot() throws Exception {
		RequestSlots slots = new RequestSlots(Duration.ZERO, 1, this.registry);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		Future<String> first = serve(slots, "first", releaseFirst);
		await().until(() -> this.served.contains("first"));
		Future<String> second = serve(slots, "second", null);
		await().until(() -> slots.waiting() == 1);
		assertThat(this.registry.get("dockercoins.requests.waiting").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("dockercoins.requests.active").gauge().value()).isEqualTo(1);
		releaseFirst.countDown();
		second.get(5, TimeUnit.SECONDS);
		first.get(5, TimeUnit.SECONDS);
		assertThat(this.registry.get("dockercoins.slot.wait").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("dockercoins.requests.active").gauge().value()).isZero();
	}

	private Future<String> serve(RequestSlots slots, String name, CountDownLatch release) {
		return this.executor.submit(() -> slots.serve(() -> {
			this.served.add(name);
			if (release != null) {
				awaitQuietly(release);
			}
			return name;
		}));
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

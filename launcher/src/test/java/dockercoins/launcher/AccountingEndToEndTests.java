package dockercoins.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every loop a worker completes is counted in {@code hashes} exactly once, however and
 * whenever the workers are stopped, and mining goes on through a rolling replacement.
 */
class AccountingEndToEndTests {

	private static final Pattern VERSION = Pattern.compile("\"version\":\"(v\\d)\",\"workers\":(\\d+)");

	private final LocalServices services = new LocalServices();

	@AfterEach
	void stopAll() {
		this.services.close();
	}

	@Test
	void countsEveryLoopOfWorkersStoppedAtRandomMomentsWhileRngAndWebuiRestart() throws Exception {
		this.services.startRedis();
		LocalServices.Service rng = this.services.start("rng", "rng",
				Map.of("RNG_LATENCY", "5ms", "RNG_CONCURRENCY", "0"));
		LocalServices.Service hasher = this.services.start("hasher", "hasher", Map.of("HASHER_LATENCY", "5ms"));
		LocalServices.Service webui = this.services.start("webui", "webui", Map.of());
		Map<String, String> fast = Map.of("WORKER_SLEEP", "5ms", "WORKER_LOOPS", "2", "WORKER_RETRY_DELAY", "500ms",
				"WORKER_RNG_URL", rng.url(), "WORKER_HASHER_URL", hasher.url());
		List<LocalServices.Service> workers = this.services.startAll(List.of("worker-1", "worker-2", "worker-3"),
				"worker", fast);
		await().until(() -> this.services.hashes() > 0);

		pauseAtRandom();
		rng.stop();
		rng = rng.restart(Map.of());
		pauseAtRandom();
		workers.get(0).stop();
		webui.stop();
		webui = webui.restart(Map.of());
		pauseAtRandom();
		workers.get(1).stop();
		pauseAtRandom();
		workers.get(2).stop();

		long done = unitsOfWorkDone(workers);
		assertThat(done).isGreaterThan(100);
		assertThat(this.services.hashes()).isEqualTo(done);
		assertThat(this.services.get(webui, "/json").body()).contains("\"hashes\":" + done + ",");
	}

	/**
	 * What a Swarm rolling update with --update-parallelism 2 --update-delay 5s does to
	 * the worker processes.
	 */
	@Test
	void keepsMiningAndCountingThroughARollingReplacementTwoAtATime() throws Exception {
		this.services.startRedis();
		LocalServices.Service rng = this.services.start("rng", "rng", Map.of());
		LocalServices.Service hasher = this.services.start("hasher", "hasher", Map.of());
		LocalServices.Service webui = this.services.start("webui", "webui", Map.of());
		Map<String, String> v1 = Map.of("DOCKERCOINS_VERSION", "v1", "WORKER_RNG_URL", rng.url(), "WORKER_HASHER_URL",
				hasher.url());
		Map<String, String> v2 = Map.of("DOCKERCOINS_VERSION", "v2", "WORKER_SLEEP", "10ms", "WORKER_RNG_URL",
				rng.url(), "WORKER_HASHER_URL", hasher.url());
		List<LocalServices.Service> old = this.services
			.startAll(IntStream.rangeClosed(1, 6).mapToObj((i) -> "w1-" + i).toList(), "worker", v1);
		await().until(() -> versions(webui).equals(Map.of("v1", 6)));

		Watch watch = new Watch(webui);
		Thread watching = Thread.ofPlatform().daemon().start(watch);
		List<LocalServices.Service> replacements = new ArrayList<>();
		for (int i = 0; i < 6; i += 2) {
			old.get(i).stop();
			old.get(i + 1).stop();
			replacements.addAll(this.services.startAll(List.of("w2-" + (i + 1), "w2-" + (i + 2)), "worker", v2));
			Thread.sleep(Duration.ofSeconds(5));
		}
		await().until(() -> versions(webui).equals(Map.of("v2", 6)));
		watching.interrupt();
		watching.join();
		assertThat(watch.failure).as("the watcher's failure").isNull();

		System.out.println("Longest time without a rise of hashes during the replacement: " + watch.longestStall());
		assertThat(watch.longestStall()).isLessThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(watch.seen).contains(Set.of("v1", "v2"));
		replacements.forEach(LocalServices.Service::stop);
		assertThat(this.services.hashes()).isEqualTo(unitsOfWorkDone(old) + unitsOfWorkDone(replacements));
	}

	private Map<String, Integer> versions(LocalServices.Service webui) throws Exception {
		Matcher matcher = VERSION.matcher(this.services.get(webui, "/fleet.json").body());
		Map<String, Integer> versions = new TreeMap<>();
		while (matcher.find()) {
			versions.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
		}
		return versions;
	}

	/** The loops the stopped workers did, from their last lines. */
	private static long unitsOfWorkDone(List<LocalServices.Service> workers) {
		return workers.stream().mapToLong(LocalServices.Service::unitsOfWorkDone).sum();
	}

	private static void pauseAtRandom() throws InterruptedException {
		Thread.sleep(ThreadLocalRandom.current().nextLong(300, 2500));
	}

	/**
	 * Follows {@code hashes} and the fleet view: the longest time without a rise, and the
	 * sets of versions seen at once.
	 */
	private final class Watch implements Runnable {

		private final LocalServices.Service webui;

		private final AtomicLong longestStallNanos = new AtomicLong();

		private final Set<Set<String>> seen = new CopyOnWriteArraySet<>();

		/** What stopped the watch early, if anything did. */
		private volatile Exception failure;

		Watch(LocalServices.Service webui) {
			this.webui = webui;
		}

		@Override
		public void run() {
			long last = AccountingEndToEndTests.this.services.hashes();
			long lastRise = System.nanoTime();
			try {
				while (!Thread.currentThread().isInterrupted()) {
					Thread.sleep(100);
					long hashes = AccountingEndToEndTests.this.services.hashes();
					long now = System.nanoTime();
					if (hashes > last) {
						last = hashes;
						lastRise = now;
					}
					this.longestStallNanos.accumulateAndGet(now - lastRise, Math::max);
					this.seen.add(new HashSet<>(versions(this.webui).keySet()));
				}
			}
			catch (InterruptedException ex) {
				// Done watching.
			}
			catch (Exception ex) {
				this.failure = ex;
			}
		}

		Duration longestStall() {
			return Duration.ofNanos(this.longestStallNanos.get());
		}

	}

}

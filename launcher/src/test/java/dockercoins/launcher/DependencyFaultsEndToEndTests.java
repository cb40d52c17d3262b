package dockercoins.launcher;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers and the web UI ride out the loss of each of their dependencies: they report
 * the failure, keep running, and resume by themselves once it is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyFaultsEndToEndTests {

	private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

	/** How soon after its dependency is back a worker must mine again. */
	private static final Duration RESUME = RETRY_DELAY.plusSeconds(2);

	private static final LocalServices services = new LocalServices();

	private static LocalServices.Service redis;

	private static LocalServices.Service rng;

	private static LocalServices.Service hasher;

	private static LocalServices.Service webui;

	private static final List<LocalServices.Service> workers = new ArrayList<>();

	private static final List<Long> workerPids = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		redis = services.startRedis();
		rng = services.start("rng", "rng", Map.of());
		hasher = services.start("hasher", "hasher", Map.of());
		webui = services.start("webui", "webui", Map.of());
		// A read timeout under the slow rng's latency, to see it cut a hung call short.
		Map<String, String> settings = Map.of("WORKER_RETRY_DELAY", RETRY_DELAY.toSeconds() + "s",
				"SPRING_HTTP_CLIENTS_READ_TIMEOUT", "2s", "WORKER_RNG_URL", rng.url(), "WORKER_HASHER_URL",
				hasher.url());
		for (int i = 1; i <= 2; i++) {
			LocalServices.Service worker = services.start("worker-" + i, "worker", settings);
			workers.add(worker);
			workerPids.add(worker.pid());
		}
		awaitEveryWorkerMines(Duration.ofSeconds(30));
	}

	@AfterAll
	static void stop() {
		services.close();
	}

	@Test
	@Order(1)
	void resumeAfterRedisIsAwayForTenSeconds() throws Exception {
		List<Integer> marks = marks();
		long stopped = System.nanoTime();
		redis.stop();
		awaitEveryWorkerLogs(marks, "redis at 127.0.0.1:" + redis.port + " failed");
		HttpResponse<String> away = services.get(webui, "/json");
		assertThat(away.statusCode()).isEqualTo(503);
		assertThat(away.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(away.body()).contains("\"detail\":\"Redis is unreachable");
		Thread.sleep(Duration.ofSeconds(10).minusNanos(System.nanoTime() - stopped));

		redis = redis.restart(Map.of());
		await().atMost(Duration.ofSeconds(10)).until(() -> redis.outputContains("Ready to accept connections"));
		awaitEveryWorkerMines(RESUME);
		await().atMost(Duration.ofSeconds(3)).until(() -> services.get(webui, "/json").statusCode() == 200);
	}

	@Test
	@Order(2)
	void resumeAfterRngIsKilledAndStartedAgain() throws Exception {
		rng = killAndStartAgain(rng);
	}

	@Test
	@Order(3)
	void resumeAfterHasherIsKilledAndStartedAgain() throws Exception {
		hasher = killAndStartAgain(hasher);
	}

	@Test
	@Order(4)
	void cutAHungRngShortThenResumeWhenItIsFastAgain() throws Exception {
		rng.stop();
		rng = rng.restart(Map.of("RNG_LATENCY", "3s"));
		List<Integer> marks = marks();
		awaitEveryWorkerLogs(marks, "rng at " + rng.url() + " failed", "timed out");
		rng.stop();
		rng = rng.restart(Map.of("RNG_LATENCY", "100ms"));
		awaitEveryWorkerMines(RESUME);
	}

	@Test
	@Order(5)
	void noWorkerOrWebuiExitedOrWasRestarted() {
		assertThat(workers).allMatch(LocalServices.Service::isAlive);
		assertThat(workers.stream().map(LocalServices.Service::pid).toList()).isEqualTo(workerPids);
		assertThat(webui.isAlive()).isTrue();
	}

	/**
	 * Kills a dependency of the workers with SIGKILL, and starts it again once every
	 * worker has reported the failure; answers the new process.
	 */
	private static LocalServices.Service killAndStartAgain(LocalServices.Service dependency) throws Exception {
		List<Integer> marks = marks();
		dependency.kill();
		awaitEveryWorkerLogs(marks, dependency.service + " at " + dependency.url() + " failed");
		LocalServices.Service again = dependency.restart(Map.of());
		awaitEveryWorkerMines(RESUME);
		return again;
	}

	/** How many lines each worker has written so far. */
	private static List<Integer> marks() {
		return workers.stream().map((worker) -> worker.output().size()).toList();
	}

	/** Waits until each worker has written, after its mark, a line with all the texts. */
	private static void awaitEveryWorkerLogs(List<Integer> marks, String... texts) {
		await().atMost(Duration.ofSeconds(15)).until(() -> IntStream.range(0, workers.size()).allMatch((i) -> {
			List<String> lines = workers.get(i).output();
			return lines.subList(marks.get(i), lines.size())
				.stream()
				.anyMatch((line) -> Stream.of(texts).allMatch(line::contains));
		}));
	}

	/** Waits until each worker's own count of hashes has risen. */
	private static void awaitEveryWorkerMines(Duration within) throws Exception {
		List<Double> before = new ArrayList<>();
		for (LocalServices.Service worker : workers) {
			before.add(worker.hashesMined());
		}
		await().atMost(within).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			for (int i = 0; i < workers.size(); i++) {
				assertThat(workers.get(i).hashesMined()).as(workers.get(i).name).isGreaterThan(before.get(i));
			}
		});
	}

}

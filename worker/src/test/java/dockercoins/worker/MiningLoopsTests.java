package dockercoins.worker;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.testsupport.Documentation;
import dockercoins.testsupport.FreePorts;
import dockercoins.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs the whole worker against a real Redis and stand-in rng and hasher servers. */
@SuppressWarnings("unchecked")
@ExtendWith(OutputCaptureExtension.class)
class MiningLoopsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final List<AutoCloseable> resources = new ArrayList<>();

	private StatefulRedisConnection<byte[], byte[]> redisConnection;

	private RedisCommands<byte[], byte[]> redis;

	/**
	 * Redis for every test, which each worker started is a child of: it outlives them.
	 */
	private static ConfigurableApplicationContext redisServer;

	@BeforeAll
	static void startRedis() {
		redisServer = TestRedis.serverOnly();
	}

	@AfterAll
	static void stopRedis() {
		redisServer.close();
	}

	@BeforeEach
	void connectToRedis() {
		DataRedisConnectionDetails.Standalone server = redisServer.getBean(DataRedisConnectionDetails.class)
			.getStandalone();
		RedisClient client = RedisClient.create("redis://" + server.getHost() + ":" + server.getPort());
		this.redisConnection = client.connect(ByteArrayCodec.INSTANCE);
		this.redis = this.redisConnection.sync();
		this.redis.flushall();
		this.resources.add(client::shutdown);
		this.resources.add(this.redisConnection);
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources.reversed()) {
			resource.close();
		}
	}

	@Test
	void keepsEachCoinInTheWalletUnderItsHash(CapturedOutput output) {
		byte[] coin = randomBytes((hex) -> hex.startsWith("0"));
		String hex = StandInServer.sha256Hex(coin);
		StandInServer rng = serve(StandInServer.rng(() -> coin));
		startWorker(rng, serve(StandInServer.hasher()), Map.of("worker.report-interval", "100ms"));
		await().until(() -> hashes() >= 3);
		assertThat(this.redis.hgetall(bytes("wallet"))).hasSize(1);
		assertThat(this.redis.hget(bytes("wallet"), bytes(hex))).isEqualTo(coin);
		assertThat(output).contains("Coin found: " + hex.substring(0, 8) + "...")
			.contains("We already had that coin")
			.contains(" units of work done, updating hash counter");
	}

	@Test
	void keepsNothingButCoins(CapturedOutput output) {
		byte[] noCoin = randomBytes((hex) -> !hex.startsWith("0"));
		// With DEBUG=y (see DebugVariable), the original's debug lines.
		startWorker(serve(StandInServer.rng(() -> noCoin)), serve(StandInServer.hasher()),
				Map.of("worker.report-interval", "100ms", "logging.level.dockercoins.worker", "debug"));
		await().until(() -> hashes() >= 5);
		assertThat(this.redis.exists(bytes("wallet"))).isZero();
		assertThat(output).containsPattern("MiningLoop +: Doing one unit of work")
			.containsPattern("MiningLoop +: No coin found");
	}

	@Test
	void countsHashesAndTimesEachStep() {
		ConfigurableApplicationContext worker = startWorker(serve(StandInServer.rng(MiningLoopsTests::anyBytes)),
				serve(StandInServer.hasher()), Map.of("worker.report-interval", "100ms"));
		MeterRegistry registry = worker.getBean(MeterRegistry.class);
		await().until(() -> registry.get("dockercoins.hashes").counter().count() >= 5);
		for (String step : List.of("sleep", "rng", "hasher", "redis")) {
			assertThat(registry.get("dockercoins.worker.step").tag("step", step).timer().count()).isPositive();
		}
	}

	@Test
	void publishesItsStatusForTheFleetViewAndWithdrawsItWhenStopped() throws Exception {
		ConfigurableApplicationContext worker = startWorker(serve(StandInServer.rng(MiningLoopsTests::anyBytes)),
				serve(StandInServer.hasher()), Map.of("worker.loops", "2", "worker.sleep", "5ms", "dockercoins.version",
						"v9", "dockercoins.hostname", "miner"));
		byte[] key = bytes("fleet:miner:" + ProcessHandle.current().pid());
		await().untilAsserted(() -> assertThat(this.redis.get(key)).isNotNull()
			.asString()
			.contains("\"instance\":\"miner\"", "\"version\":\"v9\"", "\"build\":\"0feedbee\"", "\"sleep\":\"5ms\"",
					"\"loops\":2")
			.doesNotContain("\"rate\":0.0"));
		assertThat(this.redis.ttl(key)).isBetween(1L, FleetStatus.EXPIRY.toSeconds());
		String base = "http://localhost:" + worker.getEnvironment().getProperty("local.server.port");
		assertThat(get(base + "/actuator/info").body()).contains("\"version\":\"v9\"", "\"build\":\"0feedbee\"");
		worker.close();
		assertThat(this.redis.exists(key)).isZero();
	}

	@Test
	void publishesWhereItsTimeGoesAndWhichReplicasAnswerIt() {
		Supplier<byte[]> slowBytes = () -> {
			sleepQuietly(Duration.ofMillis(50));
			return anyBytes();
		};
		StandInServer first = serve(StandInServer.rng(slowBytes).named("rng-a"));
		StandInServer second = serve(StandInServer.rng(slowBytes).named("rng-b"));
		// Like the original hasher, it sends no instance header: its address stands for
		// it.
		StandInServer hasher = serve(StandInServer.hasher());
		startWorker(null, hasher, Map.of("worker.rng-url", first.url() + "," + second.url(), "worker.sleep", "10ms",
				"worker.report-interval", "100ms", "dockercoins.hostname", "timed"));
		byte[] key = bytes("fleet:timed:" + ProcessHandle.current().pid());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			byte[] record = this.redis.get(key);
			assertThat(record).as("the fleet record").isNotNull();
			Map<String, Object> status = JSON.readValue(record, MAP);
			Map<String, Map<String, Number>> steps = (Map<String, Map<String, Number>>) status.get("steps");
			assertThat(steps).containsOnlyKeys("sleep", "rng", "hasher", "redis");
			assertThat(steps.get("rng").get("mean").doubleValue()).isBetween(0.045, 0.2);
			assertThat(steps.get("sleep").get("mean").doubleValue()).isBetween(0.009, 0.05);
			assertThat(steps.get("hasher").get("mean").doubleValue())
				.isLessThan(steps.get("rng").get("mean").doubleValue());
			assertThat(steps.get("rng").get("count").longValue()).isGreaterThan(10);
			Map<String, Map<String, Number>> replicas = (Map<String, Map<String, Number>>) status.get("replicas");
			assertThat(replicas.get("rng")).containsOnlyKeys("rng-a", "rng-b");
			assertThat(replicas.get("rng").get("rng-a").doubleValue()).isPositive()
				.isCloseTo(replicas.get("rng").get("rng-b").doubleValue(), Percentage.withPercentage(30));
			assertThat(replicas.get("hasher")).containsOnlyKeys(hasher.url().toString());
			double hashRate = ((Number) status.get("rate")).doubleValue();
			assertThat(replicas.get("hasher").get(hasher.url().toString()).doubleValue()).isCloseTo(hashRate,
					Percentage.withPercentage(30));
			assertHasTheDocumentedFields(status);
		});
	}

	/**
	 * The fleet record has the fields of docs/webui.md's example, no other, in its order
	 * and of its types: the web UI reads what that example shows.
	 */
	private static void assertHasTheDocumentedFields(Map<String, Object> record) {
		Map<String, Object> documented = JSON.readValue(Documentation.fleetRecordExample(), MAP);
		assertThat(record.keySet()).containsExactlyElementsOf(documented.keySet());
		documented.forEach((field, example) -> assertThat(record.get(field)).as(field).isInstanceOf(kind(example)));
		Map<String, Map<String, Object>> documentedSteps = (Map<String, Map<String, Object>>) documented.get("steps");
		Map<String, Map<String, Object>> steps = (Map<String, Map<String, Object>>) record.get("steps");
		assertThat(steps.keySet()).containsExactlyElementsOf(documentedSteps.keySet());
		steps.forEach((step, times) -> assertThat(times.keySet()).as(step)
			.containsExactlyElementsOf(documentedSteps.get(step).keySet()));
		Map<String, Map<String, Object>> documentedReplicas = (Map<String, Map<String, Object>>) documented
			.get("replicas");
		Map<String, Map<String, Object>> replicas = (Map<String, Map<String, Object>>) record.get("replicas");
		assertThat(replicas.keySet()).containsExactlyInAnyOrderElementsOf(documentedReplicas.keySet());
		replicas.values().forEach((rates) -> assertThat(rates.values()).allMatch(Number.class::isInstance));
	}

	private static Class<?> kind(Object example) {
		return (example instanceof Number) ? Number.class : (example instanceof Map) ? Map.class : example.getClass();
	}

	@Test
	void reportsTheLoopsNotYetCountedWhenStopped(CapturedOutput output) {
		StandInServer hasher = serve(StandInServer.hasher());
		ConfigurableApplicationContext worker = startWorker(serve(StandInServer.rng(MiningLoopsTests::anyBytes)),
				hasher, Map.of("worker.report-interval", "1h", "worker.sleep", "20ms"));
		await().until(() -> hasher.answered().size() >= 5);
		assertThat(hashes()).isZero();
		worker.close();
		Matcher stopped = Pattern.compile("MiningLoops +: Worker stopped: (\\d+) units of work done in all")
			.matcher(output.getOut());
		assertThat(stopped.find()).isTrue();
		assertThat(hashes()).isEqualTo(Long.parseLong(stopped.group(1)));
		// A loop stopped between the hasher's answer and its count is abandoned.
		assertThat(hashes()).isBetween(hasher.answered().size() - 1L, (long) hasher.answered().size());
		assertThat(output).containsPattern("MiningLoops +: \\d+ units of work done, updating hash counter");
	}

	@Test
	void restartsAfterAFailedCallAndKeepsTheCountOfTheLoopsBefore(CapturedOutput output) {
		// Three loops, then two failed calls to rng, then loops again; nothing is
		// reported until the worker stops.
		StandInServer rng = serve(
				StandInServer.rng((request) -> request == 3 || request == 4, MiningLoopsTests::anyBytes));
		StandInServer hasher = serve(StandInServer.hasher());
		ConfigurableApplicationContext worker = startWorker(rng, hasher,
				Map.of("worker.report-interval", "1h", "worker.retry-delay", "50ms"));
		await().until(() -> hasher.answered().size() >= 5);
		assertThat(output).contains("In work loop: rng at " + rng.url() + " failed: ")
			.contains("503")
			.contains("Waiting 50ms and restarting.");
		MeterRegistry registry = worker.getBean(MeterRegistry.class);
		assertThat(registry.get("dockercoins.worker.failures").tag("cause", "rng").counter().count()).isEqualTo(2);
		worker.close();
		// A loop stopped between the hasher's answer and its count is abandoned.
		assertThat(hashes()).isBetween(hasher.answered().size() - 1L, (long) hasher.answered().size());
	}

	@Test
	void spreadsRngRequestsRoundRobin() {
		StandInServer first = serve(StandInServer.rng(MiningLoopsTests::anyBytes));
		StandInServer second = serve(StandInServer.rng(MiningLoopsTests::anyBytes));
		startWorker(null, serve(StandInServer.hasher()),
				Map.of("worker.rng-url", first.url() + "," + second.url(), "worker.report-interval", "100ms"));
		await().until(() -> first.answered().size() + second.answered().size() >= 10);
		assertThat(first.answered().size() - second.answered().size()).isBetween(-1, 1);
	}

	@Test
	void spreadsRngRequestsOverEveryAddressOfItsName() {
		int port = FreePorts.one();
		StandInServer first = serve(
				StandInServer.rngAt(new InetSocketAddress("127.0.0.1", port), MiningLoopsTests::anyBytes));
		StandInServer second = serve(
				StandInServer.rngAt(new InetSocketAddress("127.0.0.2", port), MiningLoopsTests::anyBytes));
		TestHostNames.answer("rng.replicas.test", "127.0.0.1", "127.0.0.2");
		startWorker(null, serve(StandInServer.hasher()), Map.of("worker.rng-url",
				"http://rng.replicas.test:" + first.port(), "worker.report-interval", "100ms"));
		await().until(() -> first.answered().size() >= 5 && second.answered().size() >= 5);
		assertThat(first.answered().size() - second.answered().size()).isBetween(-1, 1);
		assertThat(first.hosts()).containsOnly("rng.replicas.test:" + first.port());
	}

	@Test
	void runsTheConfiguredNumberOfLoopsAtOnce() throws Exception {
		CountDownLatch allLoopsWaiting = new CountDownLatch(3);
		StandInServer rng = serve(StandInServer.rng(() -> {
			allLoopsWaiting.countDown();
			awaitQuietly(allLoopsWaiting);
			return anyBytes();
		}));
		startWorker(rng, serve(StandInServer.hasher()), Map.of("worker.loops", "3"));
		assertThat(allLoopsWaiting.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void staysLiveButNotReadyWhileRedisIsDown(CapturedOutput output) throws Exception {
		int closedPort = FreePorts.one();
		ConfigurableApplicationContext worker = startWorker(null, serve(StandInServer.rng(MiningLoopsTests::anyBytes)),
				serve(StandInServer.hasher()),
				Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", String.valueOf(closedPort),
						"worker.retry-delay", "50ms", "spring.data.redis.connect-timeout", "200ms"));
		await().untilAsserted(() -> assertThat(output).contains("redis at 127.0.0.1:" + closedPort + " failed"));
		String base = "http://localhost:" + worker.getEnvironment().getProperty("local.server.port");
		assertThat(status(base + "/actuator/health/liveness")).isEqualTo(200);
		assertThat(status(base + "/actuator/health/readiness")).isEqualTo(503);
	}

	private ConfigurableApplicationContext startWorker(StandInServer rng, StandInServer hasher,
			Map<String, String> properties) {
		return startWorker(redisServer, rng, hasher, properties);
	}

	/** Starts a worker that uses the Redis of {@code redis}, or none. */
	private ConfigurableApplicationContext startWorker(ConfigurableApplicationContext redis, StandInServer rng,
			StandInServer hasher, Map<String, String> properties) {
		Map<String, Object> settings = new LinkedHashMap<>(
				Map.of("server.port", 0, "worker.sleep", 0, "worker.hasher-url", hasher.url()));
		if (rng != null) {
			settings.put("worker.rng-url", rng.url());
		}
		settings.putAll(properties);
		// As command-line arguments, the settings override application.properties.
		String[] arguments = settings.entrySet()
			.stream()
			.map((setting) -> "--" + setting.getKey() + "=" + setting.getValue())
			.toArray(String[]::new);
		SpringApplicationBuilder worker = new SpringApplicationBuilder(WorkerApplication.class);
		if (redis != null) {
			worker.parent(redis);
		}
		ConfigurableApplicationContext context = worker.run(arguments);
		this.resources.add(context);
		return context;
	}

	private StandInServer serve(StandInServer server) {
		this.resources.add(server);
		return server;
	}

	private long hashes() {
		byte[] value = this.redis.get(bytes("hashes"));
		return (value != null) ? Long.parseLong(new String(value)) : 0;
	}

	private static int status(String url) throws Exception {
		return get(url).statusCode();
	}

	private static HttpResponse<String> get(String url) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(java.net.URI.create(url)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
	}

	private static byte[] anyBytes() {
		return randomBytes((hex) -> true);
	}

	private static byte[] randomBytes(Predicate<String> hashMatches) {
		byte[] bytes = new byte[32];
		do {
			ThreadLocalRandom.current().nextBytes(bytes);
		}
		while (!hashMatches.test(StandInServer.sha256Hex(bytes)));
		return bytes;
	}

	private static byte[] bytes(String text) {
		return text.getBytes();
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

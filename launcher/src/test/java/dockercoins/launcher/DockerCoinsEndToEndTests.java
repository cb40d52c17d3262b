package dockercoins.launcher;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Starts the whole stack with the launcher jar and checks what a user sees. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerCoinsEndToEndTests {

	private static LaunchedStack stack;

	private static RedisClient redisClient;

	private static StatefulRedisConnection<byte[], byte[]> redis;

	@BeforeAll
	static void launch() throws Exception {
		stack = LaunchedStack.start(3);
		stack.awaitReady();
		redisClient = RedisClient.create("redis://127.0.0.1:" + stack.redisPort);
		redis = redisClient.connect(ByteArrayCodec.INSTANCE);
	}

	@AfterAll
	static void stop() throws Exception {
		if (redis != null) {
			redis.close();
			redisClient.shutdown();
		}
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void rngServesTheRequestedNumberOfRandomBytes() throws Exception {
		HttpResponse<byte[]> first = stack.get(stack.port + 1, "/32");
		HttpResponse<byte[]> second = stack.get(stack.port + 1, "/32");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		assertThat(first.body()).hasSize(32).isNotEqualTo(second.body());
	}

	@Test
	void hasherAnswersTheSha256OfTheBody() throws Exception {
		byte[] body = new byte[5000];
		ThreadLocalRandom.current().nextBytes(body);
		HttpResponse<byte[]> response = stack.post(stack.port + 2, "/", body);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo(sha256Hex(body));
	}

	@Test
	void servicesShowTheOriginalBanners() throws Exception {
		assertThat(text(stack.get(stack.port + 1, "/"))).matches("RNG running on \\S+\n");
		assertThat(text(stack.get(stack.port + 2, "/"))).matches("HASHER running on \\S+\n");
	}

	@Test
	void webuiLeadsToThePage() throws Exception {
		HttpResponse<byte[]> home = stack.get(stack.port, "/");
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(home.headers().firstValue("Location")).hasValue("/index.html");
		assertThat(text(stack.get(stack.port, "/index.html"))).contains("DockerCoin Miner WebUI");
	}

	@Test
	void countsRiseAsTheWorkerMines() throws Exception {
		long before = stack.hashes();
		await().atMost(Duration.ofSeconds(30)).until(() -> stack.hashes() > before);
	}

	@Test
	void walletHoldsOnlyCoinsUnderTheirHash() {
		await().atMost(Duration.ofSeconds(90)).until(() -> redis.sync().hlen(bytes("wallet")) > 0);
		Map<byte[], byte[]> wallet = redis.sync().hgetall(bytes("wallet"));
		assertThat(wallet).isNotEmpty();
		wallet.forEach((hex, randomBytes) -> {
			assertThat(randomBytes).hasSize(32);
			assertThat(new String(hex, StandardCharsets.US_ASCII)).isEqualTo(sha256Hex(randomBytes)).startsWith("0");
		});
	}

	@Test
	void everyServiceIsHealthyAndExposesMetrics() throws Exception {
		for (int port : List.of(stack.port, stack.port + 1, stack.port + 2, stack.port + 3)) {
			assertThat(text(stack.get(port, "/actuator/health"))).contains("\"status\":\"UP\"");
			assertThat(stack.get(port, "/actuator/prometheus").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void startsEachServiceFromItsAotCache() {
		// The JVM warns when it cannot use an AOT cache it is given (a jar that is not
		// the one it was made with, another JDK).
		assertThat(stack.output()).noneMatch((line) -> line.contains("[aot]"));
		assertThat(stack.output()).filteredOn((line) -> line.contains("Starting AOT-processed")).hasSize(4);
	}

	@Test
	void prefixesEachLineWithTheServiceName() {
		assertThat(stack.output()).anyMatch((line) -> line.matches("worker +\\| .*units of work done.*"))
			.anyMatch((line) -> line.matches("rng-1 +\\| .*Started RngApplication.*"))
			.anyMatch((line) -> line.matches("redis +\\| .*Ready to accept connections.*"));
	}

	@Test
	void printsALinePerRequestAsTheOriginalServicesDo() throws Exception {
		assertThat(stack.get(stack.port, "/json").statusCode()).isEqualTo(200);
		String address = "127\\.0\\.0\\.1 - - ";
		String clf = "\\[\\d\\d/\\w{3}/\\d{4}(:\\d\\d){3} [+-]\\d{4}\\] ";
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(stack.output())
				// Flask's, Rack's, and morgan's common log format.
				.anyMatch((line) -> line.matches("rng-1 +\\| " + address
						+ "\\[\\d\\d/\\w{3}/\\d{4} \\d\\d:\\d\\d:\\d\\d\\] \"GET /32 HTTP/1\\.1\" 200 -"))
				.anyMatch((line) -> line
					.matches("hasher +\\| " + address + clf + "\"POST / HTTP/1\\.1\" 200 64 \\d+\\.\\d{3}"))
				.anyMatch((line) -> line.matches("webui +\\| " + address + clf + "\"GET /json HTTP/1\\.1\" 200 \\d+")));
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void stopsEverythingItStartedOnSigterm() throws Exception {
		List<ProcessHandle> started = stack.process().toHandle().descendants().toList();
		assertThat(started).hasSizeGreaterThanOrEqualTo(5);
		long reportedBefore = stack.hashes();
		stack.close();
		assertThat(started).noneMatch(ProcessHandle::isAlive);
		List<String> afterStop = stack.output()
			.subList(stack.output().indexOf("launcher | Stopping..."), stack.output().size());
		assertThat(afterStop).anyMatch((line) -> line.matches("worker +\\| .*MiningLoops.*units of work done.*"))
			.last()
			.isEqualTo("launcher | Stopped.");
		assertThat(reportedBefore).isPositive();
	}

	private static String text(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static String sha256Hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}

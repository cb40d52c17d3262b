package dockercoins.launcher;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that requires a password: the worker and the web UI get it from
 * SPRING_DATA_REDIS_PASSWORD or from a file, as Docker gives secrets.
 */
class RedisPasswordEndToEndTests {

	private static final String PASSWORD = "correct-horse-battery-staple";

	private static final Pattern HASHES = Pattern.compile("\"hashes\":(\\d+)");

	private final LocalServices services = new LocalServices();

	@AfterEach
	void stopAll() {
		this.services.close();
	}

	@Test
	void workerAndWebuiUseThePasswordFromTheEnvironmentOrASecretFile(@TempDir Path secrets) throws Exception {
		// As `docker secret create` from `echo`: with a newline at the end.
		Files.writeString(secrets.resolve("spring.data.redis.password"), PASSWORD + "\n");
		Map<String, String> fromEnvironment = Map.of("SPRING_DATA_REDIS_PASSWORD", PASSWORD);
		Map<String, String> fromFile = Map.of("DOCKERCOINS_SECRETS", secrets + "/");
		this.services.startRedis("--requirepass", PASSWORD);
		LocalServices.Service rng = this.services.start("rng", "rng", Map.of("RNG_LATENCY", "10ms"));
		LocalServices.Service hasher = this.services.start("hasher", "hasher", Map.of("HASHER_LATENCY", "10ms"));
		LocalServices.Service webui = this.services.start("webui", "webui", fromEnvironment);
		LocalServices.Service webuiFromFile = this.services.start("webui-2", "webui", fromFile);
		LocalServices.Service webuiWithout = this.services.startUnready("webui-3", "webui", Map.of());
		Map<String, String> worker = new HashMap<>(fromFile);
		worker.putAll(Map.of("WORKER_RNG_URL", rng.url(), "WORKER_HASHER_URL", hasher.url()));
		this.services.start("worker", "worker", worker);

		await().atMost(Duration.ofSeconds(20)).until(() -> hashes(webui) > 0);
		assertThat(hashes(webuiFromFile)).isPositive();
		assertThat(this.services.get(webuiWithout, "/json").statusCode()).isEqualTo(503);
	}

	private long hashes(LocalServices.Service webui) throws Exception {
		HttpResponse<String> json = this.services.get(webui, "/json");
		assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
		Matcher matcher = HASHES.matcher(json.body());
		assertThat(matcher.find()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}

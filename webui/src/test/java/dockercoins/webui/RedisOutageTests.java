package dockercoins.webui;

import java.io.IOException;

import dockercoins.testsupport.FreePorts;
import dockercoins.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The webui against a Redis server that goes away and comes back. */
@SpringBootTest
@AutoConfigureMockMvc
class RedisOutageTests {

	private static final int PORT = FreePorts.one();

	private static RedisServer redis;

	@Autowired
	private MockMvcTester mvc;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> PORT);
	}

	@AfterAll
	static void stopRedis() throws IOException {
		if (redis != null) {
			redis.stop();
		}
	}

	@Test
	void answers503WhileRedisIsDownThenRecovers() throws IOException {
		assertThat(this.mvc.get().uri("/json")).hasStatus(503)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("Redis is unreachable");
		assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatus(503);
		redis = TestRedis.embedded(PORT);
		redis.start();
		await().untilAsserted(() -> assertThat(this.mvc.get().uri("/json")).hasStatusOk());
		assertThat(this.mvc.get().uri("/actuator/health/readiness")).hasStatusOk();
	}

}

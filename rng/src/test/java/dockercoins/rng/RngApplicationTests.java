package dockercoins.rng;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.client.RestTestClient;

import static dockercoins.testsupport.Settings.contextWith;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "rng.latency=0")
@AutoConfigureRestTestClient
class RngApplicationTests {

	@Autowired
	private RestTestClient client;

	@Test
	void servesRandomBytesOverHttp() {
		this.client.get()
			.uri("/16")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.value(bytes -> assertThat(bytes).hasSize(16));
	}

	@Test
	void reportsHealthAndLiveness() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
	}

	@Test
	void reportsVersionAndHostnameInInfo() {
		this.client.get()
			.uri("/actuator/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.service")
			.isEqualTo("rng")
			.jsonPath("$.version")
			.isNotEmpty()
			.jsonPath("$.hostname")
			.isNotEmpty();
	}

	@Test
	void exposesSlotMetricsTaggedWithTheService() {
		this.client.get().uri("/8").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("dockercoins_slot_wait_seconds_bucket")
				.contains("dockercoins_requests_waiting")
				.contains("service=\"rng\"")
				.contains("http_server_requests_seconds_bucket"));
	}

	@Test
	void hidesOtherActuatorEndpoints() {
		this.client.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
	}

	@Test
	void bindsTheDocumentedEnvironmentVariables() {
		Map<String, Object> environment = Map.of("RNG_LATENCY", "250ms", "RNG_CONCURRENCY", "3", "RNG_MAX_BYTES", "64",
				"RNG_MAX_WAITING", "7");
		contextWith(environment).run(context -> assertThat(context.getBean(RngProperties.class))
			.isEqualTo(new RngProperties(java.time.Duration.ofMillis(250), 3, 64, 7)));
	}

	@Test
	void rejectsNegativeConcurrency() {
		contextWith(Map.of("RNG_CONCURRENCY", "-1")).run(context -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("concurrency"));
	}

}

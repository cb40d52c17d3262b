package dockercoins.hasher;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.unit.DataSize;

import static dockercoins.testsupport.Settings.contextWith;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "hasher.latency=0", "hasher.max-body-size=1KB" })
@AutoConfigureRestTestClient
class HasherApplicationTests {

	@Autowired
	private RestTestClient client;

	@LocalServerPort
	private int port;

	@Test
	void hashesOverHttp() throws Exception {
		byte[] body = HashControllerTests.randomBytes(32);
		this.client.post()
			.uri("/")
			.body(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(HashControllerTests.sha256Hex(body));
	}

	@Test
	void rejectsAStreamedBodyOverTheMaximumSize() throws Exception {
		// An input-stream body is sent chunked, with no Content-Length to check up front.
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/"))
			.POST(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream(HashControllerTests.randomBytes(4096))))
			.build();
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(413);
			assertThat(response.body()).contains("\"detail\":\"The body must be at most 1024 bytes\"");
		}
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
	void exposesSlotMetricsTaggedWithTheService() {
		this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("dockercoins_slot_wait_seconds_bucket")
				.contains("service=\"hasher\""));
	}

	@Test
	void bindsTheDocumentedEnvironmentVariables() {
		Map<String, Object> environment = Map.of("HASHER_LATENCY", "5ms", "HASHER_CONCURRENCY", "0",
				"HASHER_MAX_BODY_SIZE", "2MB", "HASHER_MAX_WAITING", "50");
		contextWith(environment).run(context -> assertThat(context.getBean(HasherProperties.class))
			.isEqualTo(new HasherProperties(Duration.ofMillis(5), 0, DataSize.ofMegabytes(2), 50)));
	}

	@Test
	void rejectsNegativeLatency() {
		contextWith(Map.of("HASHER_LATENCY", "-1s"))
			.run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("latency"));
	}

}

package dockercoins.rng;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bound on rng's queue, over HTTP: past it, 503 at once with a Retry-After. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "rng.latency=2s", "rng.max-waiting=1" })
class QueueLimitTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private RequestSlots slots;

	@Test
	void answers503WithRetryAfterWhenTheQueueIsFull() throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			CompletableFuture<HttpResponse<byte[]>> served = http.sendAsync(get("/8"),
					HttpResponse.BodyHandlers.ofByteArray());
			await().until(() -> this.registry.get("dockercoins.requests.active").gauge().value() == 1);
			CompletableFuture<HttpResponse<byte[]>> queued = http.sendAsync(get("/8"),
					HttpResponse.BodyHandlers.ofByteArray());
			await().until(() -> this.slots.waiting() == 1);

			HttpResponse<String> turnedAway = http.send(get("/8"), HttpResponse.BodyHandlers.ofString());
			assertThat(turnedAway.statusCode()).isEqualTo(503);
			assertThat(turnedAway.headers().firstValue("Retry-After")).hasValue("2");
			assertThat(turnedAway.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(turnedAway.body()).contains("\"detail\":\"1 requests are already waiting; try again later\"");

			assertThat(served.get().statusCode()).isEqualTo(200);
			assertThat(queued.get().body()).hasSize(8);
		}
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
	}

}

package dockercoins.hasher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(controllers = HashController.class,
		properties = { "hasher.latency=0", "hasher.max-body-size=1KB", "dockercoins.hostname=test-host",
				"dockercoins.version=v9" })
@Import(SimpleMeterRegistry.class)
class HashControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Test
	void servesBannerWithHostname() {
		assertThat(this.mvc.get().uri("/")).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.hasBodyTextEqualTo("HASHER running on test-host\n");
	}

	@Test
	void answersWithTheSha256HexOfTheBody() throws Exception {
		byte[] body = randomBytes(32);
		assertThat(this.mvc.post().uri("/").contentType(MediaType.APPLICATION_OCTET_STREAM).content(body)).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.hasBodyTextEqualTo(sha256Hex(body))
			.bodyText()
			.matches("[0-9a-f]{64}");
	}

	@Test
	void namesTheInstanceAndVersionThatServedIt() {
		assertThat(this.mvc.post().uri("/").content(new byte[32])).hasStatusOk()
			.hasHeader("DockerCoins-Instance", "test-host")
			.hasHeader("DockerCoins-Version", "v9");
	}

	@Test
	void hashesAnEmptyBody() throws Exception {
		assertThat(this.mvc.post().uri("/")).hasStatusOk().hasBodyTextEqualTo(sha256Hex(new byte[0]));
	}

	@Test
	void hashesTheRawBytesOfABodyLabelledAsAForm() throws Exception {
		byte[] body = "a=1&b=%20&a=2".getBytes(StandardCharsets.US_ASCII);
		assertThat(this.mvc.post().uri("/").contentType(MediaType.APPLICATION_FORM_URLENCODED).content(body))
			.hasStatusOk()
			.hasBodyTextEqualTo(sha256Hex(body));
	}

	@Test
	void acceptsABodyOfTheMaximumSize() throws Exception {
		byte[] body = randomBytes(1024);
		assertThat(this.mvc.post().uri("/").content(body)).hasStatusOk().hasBodyTextEqualTo(sha256Hex(body));
	}

	@Test
	void rejectsABodyOverTheMaximumSize() {
		assertThat(this.mvc.post().uri("/").content(randomBytes(1025))).hasStatus(413)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The body must be at most 1024 bytes");
	}

	@Test
	void answersAnUnknownPathWithAProblemDetail() {
		assertThat(this.mvc.post().uri("/no/such/path")).hasStatus(404)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.instance")
			.isEqualTo("/no/such/path");
	}

	static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	static String sha256Hex(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}

package dockercoins.rng;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(controllers = RandomBytesController.class,
		properties = { "rng.latency=0", "rng.max-bytes=1024", "dockercoins.hostname=test-host",
				"dockercoins.version=v9" })
@Import(SimpleMeterRegistry.class)
class RandomBytesControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Test
	void servesBannerWithHostname() {
		assertThat(this.mvc.get().uri("/")).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.hasBodyTextEqualTo("RNG running on test-host\n");
	}

	@Test
	void servesBannerWhateverTheClientAccepts() {
		assertThat(this.mvc.get().uri("/").accept(MediaType.APPLICATION_JSON)).hasStatusOk()
			.hasBodyTextEqualTo("RNG running on test-host\n");
	}

	@Test
	void returnsRequestedNumberOfBytes() {
		MvcTestResult result = this.mvc.get().uri("/32").exchange();
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_OCTET_STREAM);
		assertThat(result.getResponse().getContentAsByteArray()).hasSize(32);
	}

	@Test
	void namesTheInstanceAndVersionThatServedIt() {
		assertThat(this.mvc.get().uri("/8")).hasStatusOk()
			.hasHeader("DockerCoins-Instance", "test-host")
			.hasHeader("DockerCoins-Version", "v9");
	}

	@Test
	void returnsDifferentBytesEachTime() {
		byte[] first = this.mvc.get().uri("/32").exchange().getResponse().getContentAsByteArray();
		byte[] second = this.mvc.get().uri("/32").exchange().getResponse().getContentAsByteArray();
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void returnsNoBytesForZero() {
		MvcTestResult result = this.mvc.get().uri("/0").exchange();
		assertThat(result).hasStatusOk();
		assertThat(result.getResponse().getContentAsByteArray()).isEmpty();
	}

	@Test
	void acceptsCountUpToTheMaximum() {
		assertThat(this.mvc.get().uri("/1024").exchange().getResponse().getContentAsByteArray()).hasSize(1024);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "abc", "1.5", "99999999999999" })
	void rejectsCountThatIsNotANonNegativeInteger(String count) {
		assertThat(this.mvc.get().uri("/{count}", count)).hasStatus(400)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The number of bytes must be a non-negative integer, not '" + count + "'");
	}

	@Test
	void rejectsCountOverTheMaximum() {
		assertThat(this.mvc.get().uri("/1025")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The number of bytes must be at most 1024, not 1025");
	}

	@Test
	void answersUnknownPathWithAProblemDetail() {
		assertThat(this.mvc.get().uri("/no/such/path")).hasStatus(404)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo(404);
	}

	@Test
	void answersUnsupportedMethodWithAProblemDetailAndTheAllowedMethods() {
		assertThat(this.mvc.delete().uri("/32")).hasStatus(405)
			.hasHeader("Allow", "GET")
			.bodyJson()
			.extractingPath("$.title")
			.isEqualTo("Method Not Allowed");
	}

}

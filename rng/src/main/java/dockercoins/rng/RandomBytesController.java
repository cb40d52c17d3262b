package dockercoins.rng;

import java.security.SecureRandom;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The rng wire contract: a banner on {@code GET /} and n random bytes on {@code GET /n}.
 */
@RestController
class RandomBytesController {

	private final SecureRandom random = new SecureRandom();

	private final RequestSlots slots;

	private final int maxBytes;

	private final String banner;

	/** Names the instance and version that served each answer, to see the load spread. */
	private final HttpHeaders servedBy = new HttpHeaders();

	RandomBytesController(RequestSlots slots, RngProperties properties,
			@Value("${dockercoins.hostname}") String hostname, @Value("${dockercoins.version}") String version) {
		this.slots = slots;
		this.maxBytes = properties.maxBytes();
		this.banner = "RNG running on " + hostname + "\n";
		this.servedBy.set("DockerCoins-Instance", hostname);
		this.servedBy.set("DockerCoins-Version", version);
	}

	@GetMapping("/")
	ResponseEntity<String> banner() throws InterruptedException {
		return this.slots.serveWithoutLatency(
				() -> ResponseEntity.ok().headers(this.servedBy).contentType(MediaType.TEXT_PLAIN).body(this.banner));
	}

	@GetMapping("/{count}")
	ResponseEntity<byte[]> randomBytes(@PathVariable String count) throws InterruptedException {
		int n = parseCount(count);
		byte[] bytes = this.slots.serve(() -> {
			byte[] result = new byte[n];
			this.random.nextBytes(result);
			return result;
		});
		return ResponseEntity.ok().headers(this.servedBy).contentType(MediaType.APPLICATION_OCTET_STREAM).body(bytes);
	}

	private int parseCount(String count) {
		if (!count.matches("\\d{1,10}")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The number of bytes must be a non-negative integer, not '" + count + "'");
		}
		long n = Long.parseLong(count);
		if (n > this.maxBytes) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The number of bytes must be at most " + this.maxBytes + ", not " + n);
		}
		return (int) n;
	}

}

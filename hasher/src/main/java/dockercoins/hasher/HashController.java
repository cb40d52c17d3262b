package dockercoins.hasher;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The hasher wire contract: a banner on {@code GET /}, the SHA-256 hex of the body on
 * {@code POST /}.
 */
@RestController
class HashController {

	private final RequestSlots slots;

	private final long maxBodyBytes;

	private final String banner;

	/** Names the instance and version that served each answer, to see the load spread. */
	private final HttpHeaders servedBy = new HttpHeaders();

	HashController(RequestSlots slots, HasherProperties properties, @Value("${dockercoins.hostname}") String hostname,
			@Value("${dockercoins.version}") String version) {
		this.slots = slots;
		this.maxBodyBytes = properties.maxBodySize().toBytes();
		this.banner = "HASHER running on " + hostname + "\n";
		this.servedBy.set("DockerCoins-Instance", hostname);
		this.servedBy.set("DockerCoins-Version", version);
	}

	@GetMapping("/")
	ResponseEntity<String> banner() throws InterruptedException {
		return this.slots.serveWithoutLatency(
				() -> ResponseEntity.ok().headers(this.servedBy).contentType(MediaType.TEXT_PLAIN).body(this.banner));
	}

	/**
	 * Reads the raw servlet stream rather than a bound body: a client that labels its
	 * bytes as a form (as {@code curl --data-binary} does) must still get the hash of the
	 * bytes.
	 */
	@PostMapping("/")
	ResponseEntity<String> hash(HttpServletRequest request) throws IOException, InterruptedException {
		if (request.getContentLengthLong() > this.maxBodyBytes) {
			throw tooLarge();
		}
		String hex = HexFormat.of().formatHex(sha256(request.getInputStream()));
		return this.slots
			.serve(() -> ResponseEntity.ok().headers(this.servedBy).contentType(MediaType.TEXT_PLAIN).body(hex));
	}

	private byte[] sha256(InputStream body) throws IOException {
		MessageDigest digest = newDigest();
		byte[] buffer = new byte[8192];
		long total = 0;
		for (int read = body.read(buffer); read != -1; read = body.read(buffer)) {
			total += read;
			if (total > this.maxBodyBytes) {
				throw tooLarge();
			}
			digest.update(buffer, 0, read);
		}
		return digest.digest();
	}

	private ResponseStatusException tooLarge() {
		return new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
				"The body must be at most " + this.maxBodyBytes + " bytes");
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}

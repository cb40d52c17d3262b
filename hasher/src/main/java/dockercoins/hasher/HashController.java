package dockercoins.hasher;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
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
	ResponseEntity<String> hash(HttpServletRequest request) throws InterruptedException {
		if (request.getContentLengthLong() > this.maxBodyBytes) {
			throw tooLarge();
		}
		String hex = HexFormat.of().formatHex(sha256(request));
		return this.slots
			.serve(() -> ResponseEntity.ok().headers(this.servedBy).contentType(MediaType.TEXT_PLAIN).body(hex));
	}

	/**
	 * Hashes the body as it arrives, before taking a slot: a slow client holds no slot.
	 */
	private byte[] sha256(HttpServletRequest request) {
		MessageDigest digest = newDigest();
		byte[] buffer = new byte[8192];
		long total = 0;
		try (InputStream body = request.getInputStream()) {
			for (int read = body.read(buffer); read != -1; read = body.read(buffer)) {
				total += read;
				if (total > this.maxBodyBytes) {
					throw tooLarge();
				}
				digest.update(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			throw unreadable(ex);
		}
		return digest.digest();
	}

	/** A body cut short, malformed, or too slow to arrive. */
	private static ResponseStatusException unreadable(IOException ex) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof SocketTimeoutException) {
			return new ResponseStatusException(HttpStatus.REQUEST_TIMEOUT, "The body was too slow to arrive");
		}
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, "The body could not be read: it ended early");
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

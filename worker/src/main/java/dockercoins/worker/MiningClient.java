package dockercoins.worker;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** Calls rng and hasher, spreading the requests round-robin over the URLs of each. */
@Component
class MiningClient {

	/** What the original worker asks rng for. */
	static final int RANDOM_BYTES = 32;

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

	private final RestClient client;

	private final RoundRobin rng;

	private final RoundRobin hasher;

	MiningClient(RestClient.Builder builder, WorkerProperties properties) {
		this.client = builder.build();
		this.rng = new RoundRobin("rng", properties.rngUrl(), "/" + RANDOM_BYTES);
		this.hasher = new RoundRobin("hasher", properties.hasherUrl(), "/");
	}

	byte[] randomBytes() {
		return this.rng.call((uri) -> {
			byte[] bytes = this.client.get().uri(uri).retrieve().body(byte[].class);
			if (bytes == null || bytes.length != RANDOM_BYTES) {
				throw new RestClientException(
						"expected " + RANDOM_BYTES + " bytes, got " + ((bytes != null) ? bytes.length : 0));
			}
			return bytes;
		});
	}

	String hash(byte[] data) {
		return this.hasher.call((uri) -> {
			String hex = this.client.post()
				.uri(uri)
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.body(data)
				.retrieve()
				.body(String.class);
			if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
				throw new RestClientException("expected a SHA-256 in hex, got '" + hex + "'");
			}
			return hex;
		});
	}

	/**
	 * The request URIs of one service, one for each of its base URLs, made once:
	 * expanding a URI template on each call was a tenth of the worker's time at zero
	 * latency.
	 */
	private static final class RoundRobin {

		private final String service;

		private final List<URI> urls;

		private final List<URI> requests;

		private final AtomicInteger next = new AtomicInteger();

		RoundRobin(String service, List<URI> urls, String path) {
			this.service = service;
			this.urls = urls;
			this.requests = urls.stream()
				.map((url) -> URI.create(url.toString().replaceAll("/+$", "") + path))
				.toList();
		}

		<T> T call(Function<URI, T> request) {
			int index = Math.floorMod(this.next.getAndIncrement(), this.requests.size());
			try {
				return request.apply(this.requests.get(index));
			}
			catch (RestClientException ex) {
				throw new StepFailedException(this.service, this.urls.get(index).toString(), ex);
			}
		}

	}

}

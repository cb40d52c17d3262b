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

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

	private final RoundRobin rng;

	private final RoundRobin hasher;

	MiningClient(RestClient.Builder builder, WorkerProperties properties) {
		this.rng = new RoundRobin("rng", builder, properties.rngUrl());
		this.hasher = new RoundRobin("hasher", builder, properties.hasherUrl());
	}

	byte[] randomBytes(int count) {
		return this.rng.call((client) -> {
			byte[] bytes = client.get().uri("/{count}", count).retrieve().body(byte[].class);
			if (bytes == null || bytes.length != count) {
				throw new RestClientException(
						"expected " + count + " bytes, got " + ((bytes != null) ? bytes.length : 0));
			}
			return bytes;
		});
	}

	String hash(byte[] data) {
		return this.hasher.call((client) -> {
			String hex = client.post()
				.uri("/")
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

	private static final class RoundRobin {

		private final String service;

		private final List<URI> urls;

		private final List<RestClient> clients;

		private final AtomicInteger next = new AtomicInteger();

		RoundRobin(String service, RestClient.Builder builder, List<URI> urls) {
			this.service = service;
			this.urls = urls;
			this.clients = urls.stream().map((url) -> builder.clone().baseUrl(url).build()).toList();
		}

		<T> T call(Function<RestClient, T> request) {
			int index = Math.floorMod(this.next.getAndIncrement(), this.clients.size());
			try {
				return request.apply(this.clients.get(index));
			}
			catch (RestClientException ex) {
				throw new StepFailedException(this.service, this.urls.get(index).toString(), ex);
			}
		}

	}

}

package dockercoins.worker;

import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** Calls rng and hasher, spreading the requests round-robin over their replicas. */
@Component
class MiningClient {

	/** What the original worker asks rng for. */
	static final int RANDOM_BYTES = 32;

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

	private final RestClient client;

	private final Replicas rng;

	private final Replicas hasher;

	MiningClient(RestClient.Builder builder, WorkerProperties properties) {
		this.client = builder.build();
		this.rng = new Replicas("rng", properties.rngUrl(), "/" + RANDOM_BYTES);
		this.hasher = new Replicas("hasher", properties.hasherUrl(), "/");
	}

	byte[] randomBytes() {
		return call(this.rng, (target) -> {
			byte[] bytes = request(this.client.get(), target).retrieve().body(byte[].class);
			if (bytes == null || bytes.length != RANDOM_BYTES) {
				throw new RestClientException(
						"expected " + RANDOM_BYTES + " bytes, got " + ((bytes != null) ? bytes.length : 0));
			}
			return bytes;
		});
	}

	String hash(byte[] data) {
		return call(this.hasher, (target) -> {
			String hex = request(this.client.post(), target).contentType(MediaType.APPLICATION_OCTET_STREAM)
				.body(data)
				.retrieve()
				.body(String.class);
			if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
				throw new RestClientException("expected a SHA-256 in hex, got '" + hex + "'");
			}
			return hex;
		});
	}

	private static <S extends RestClient.RequestHeadersSpec<S>> S request(RestClient.RequestHeadersUriSpec<S> spec,
			Replicas.Target target) {
		S request = spec.uri(target.request());
		return (target.host() != null) ? request.header(HttpHeaders.HOST, target.host()) : request;
	}

	private static <T> T call(Replicas replicas, Function<Replicas.Target, T> request) {
		Replicas.Target target = replicas.next();
		try {
			return request.apply(target);
		}
		catch (RestClientException ex) {
			throw new StepFailedException(replicas.service(), target.address(), ex);
		}
	}

}

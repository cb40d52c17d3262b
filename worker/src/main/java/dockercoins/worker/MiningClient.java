package dockercoins.worker;

import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Calls rng and hasher, spreading the requests round-robin over their replicas, and
 * counts the answers of each replica.
 */
@Component
class MiningClient {

	/** What the original worker asks rng for. */
	static final int RANDOM_BYTES = 32;

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

	private final RestClient client;

	private final Replicas rng;

	private final Replicas hasher;

	private final ReplicaAnswers answers;

	MiningClient(RestClient.Builder builder, WorkerProperties properties, ReplicaAnswers answers) {
		this.client = builder.build();
		this.answers = answers;
		this.rng = new Replicas("rng", properties.rngUrl(), "/" + RANDOM_BYTES);
		this.hasher = new Replicas("hasher", properties.hasherUrl(), "/");
	}

	byte[] randomBytes() {
		return call(this.rng, (target) -> {
			ResponseEntity<byte[]> answer = request(this.client.get(), target).retrieve().toEntity(byte[].class);
			byte[] bytes = answer.getBody();
			if (bytes == null || bytes.length != RANDOM_BYTES) {
				throw new RestClientException(
						"expected " + RANDOM_BYTES + " bytes, got " + ((bytes != null) ? bytes.length : 0));
			}
			return answer;
		});
	}

	String hash(byte[] data) {
		return call(this.hasher, (target) -> {
			ResponseEntity<String> answer = request(this.client.post(), target)
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.body(data)
				.retrieve()
				.toEntity(String.class);
			String hex = answer.getBody();
			if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
				throw new RestClientException("expected a SHA-256 in hex, got '" + hex + "'");
			}
			return answer;
		});
	}

	private static <S extends RestClient.RequestHeadersSpec<S>> S request(RestClient.RequestHeadersUriSpec<S> spec,
			Replicas.Target target) {
		S request = spec.uri(target.request());
		return (target.host() != null) ? request.header(HttpHeaders.HOST, target.host()) : request;
	}

	private <T> T call(Replicas replicas, Function<Replicas.Target, ResponseEntity<T>> request) {
		Replicas.Target target = replicas.next();
		try {
			ResponseEntity<T> answer = request.apply(target);
			// The original services send no instance header: the address stands in.
			String instance = answer.getHeaders().getFirst(ReplicaAnswers.INSTANCE_HEADER);
			this.answers.count(replicas.service(), (instance != null) ? instance : target.address());
			return answer.getBody();
		}
		catch (RestClientException ex) {
			throw new StepFailedException(replicas.service(), target.address(), ex);
		}
	}

}

package dockercoins.worker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/**
 * Counts the answers of each replica of rng and hasher, known by the
 * {@code DockerCoins-Instance} header it sends, so that the fleet view shows how the
 * requests spread over the replicas.
 */
@Component
class ReplicaAnswers {

	static final String INSTANCE_HEADER = "DockerCoins-Instance";

	private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

	void count(String service, String instance) {
		this.counts.computeIfAbsent(service, (name) -> new ConcurrentHashMap<>())
			.computeIfAbsent(instance, (name) -> new LongAdder())
			.increment();
	}

	/** The answers counted so far, by service, then by instance. */
	Map<String, Map<String, Long>> counts() {
		Map<String, Map<String, Long>> counts = new TreeMap<>();
		this.counts.forEach((service, instances) -> {
			Map<String, Long> answers = new TreeMap<>();
			instances.forEach((instance, count) -> answers.put(instance, count.sum()));
			counts.put(service, answers);
		});
		return counts;
	}

}

package dockercoins.webui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The running workers, read from the {@code fleet:*} keys that each worker refreshes
 * every second (and that expire when it stops), grouped by version.
 */
@Component
class Fleet {

	private static final Logger logger = LoggerFactory.getLogger(Fleet.class);

	private static final ScanOptions FLEET_KEYS = ScanOptions.scanOptions().match("fleet:*").count(1000).build();

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	Fleet(StringRedisTemplate redis, JsonMapper json) {
		this.redis = redis;
		this.json = json;
	}

	List<Version> versions() {
		Map<String, List<Worker>> byVersion = new TreeMap<>();
		for (Worker worker : workers()) {
			byVersion.computeIfAbsent(worker.version(), (version) -> new ArrayList<>()).add(worker);
		}
		return byVersion.entrySet().stream().map((entry) -> Version.of(entry.getKey(), entry.getValue())).toList();
	}

	private List<Worker> workers() {
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = this.redis.scan(FLEET_KEYS)) {
			cursor.forEachRemaining(keys::add);
		}
		if (keys.isEmpty()) {
			return List.of();
		}
		// A key may expire between the scan and the read: its value is then null.
		return this.redis.opsForValue()
			.multiGet(keys)
			.stream()
			.filter(Objects::nonNull)
			.map(this::parse)
			.filter(Objects::nonNull)
			.toList();
	}

	private Worker parse(String status) {
		try {
			return this.json.readValue(status, Worker.class);
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring a fleet entry that is not a worker's status: {}", status);
			return null;
		}
	}

	/** One worker process, as it describes itself; {@code loops} are its mining loops. */
	record Worker(String instance, String version, String sleep, int loops, double rate) {
	}

	/**
	 * The workers of one version: their mining loops, their combined speed, their
	 * instances.
	 */
	record Version(String version, int workers, double rate, List<Worker> instances) {

		static Version of(String version, List<Worker> workers) {
			List<Worker> sorted = workers.stream().sorted(Comparator.comparing(Worker::instance)).toList();
			return new Version(version, sorted.stream().mapToInt(Worker::loops).sum(),
					sorted.stream().mapToDouble(Worker::rate).sum(), sorted);
		}

	}

}

package dockercoins.webui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
 * every second (and that expire when it stops): grouped by version and build, with where
 * their time goes and the rng and hasher replicas that answer them.
 */
@Component
class Fleet {

	private static final Logger logger = LoggerFactory.getLogger(Fleet.class);

	private static final ScanOptions FLEET_KEYS = ScanOptions.scanOptions().match("fleet:*").count(1000).build();

	private static final List<String> SERVICES = List.of("rng", "hasher");

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	Fleet(StringRedisTemplate redis, JsonMapper json) {
		this.redis = redis;
		this.json = json;
	}

	View view() {
		List<Status> statuses = statuses();
		return new View(versions(statuses), steps(statuses), replicas(statuses));
	}

	/** The workers by version, then by build: two builds of a version are two groups. */
	private static List<Version> versions(List<Status> statuses) {
		Map<Worker, List<Worker>> byBuild = new TreeMap<>(
				Comparator.comparing(Worker::version).thenComparing(Worker::build));
		for (Status status : statuses) {
			byBuild.computeIfAbsent(status.worker(), (first) -> new ArrayList<>()).add(status.worker());
		}
		return byBuild.values().stream().map(Version::of).toList();
	}

	/**
	 * The mean time of each step over every loop of every worker, in the loop's order, as
	 * the records list them.
	 */
	private static Map<String, Double> steps(List<Status> statuses) {
		Map<String, Double> seconds = new LinkedHashMap<>();
		Map<String, Long> counts = new LinkedHashMap<>();
		for (Status status : statuses) {
			status.steps().forEach((step, times) -> {
				seconds.merge(step, times.mean() * times.count(), Double::sum);
				counts.merge(step, times.count(), Long::sum);
			});
		}
		Map<String, Double> means = new LinkedHashMap<>();
		counts.forEach((step, count) -> {
			if (count > 0) {
				means.put(step, round(seconds.get(step) / count, 1e4));
			}
		});
		return means;
	}

	/** The answers per second of each replica, summed over the workers. */
	private static Map<String, List<Replica>> replicas(List<Status> statuses) {
		Map<String, List<Replica>> replicas = new LinkedHashMap<>();
		for (String service : SERVICES) {
			Map<String, Double> rates = new TreeMap<>();
			statuses.forEach((status) -> status.replicas()
				.getOrDefault(service, Map.of())
				.forEach((instance, rate) -> rates.merge(instance, rate, Double::sum)));
			replicas.put(service,
					rates.entrySet()
						.stream()
						.map((entry) -> new Replica(entry.getKey(), round(entry.getValue(), 100)))
						.toList());
		}
		return replicas;
	}

	private static double round(double value, double scale) {
		return Math.round(value * scale) / scale;
	}

	private List<Status> statuses() {
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

	private Status parse(String status) {
		try {
			return this.json.readValue(status, Status.class);
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring a fleet entry that is not a worker's status: {}", status);
			return null;
		}
	}

	/**
	 * What the page shows of the fleet: the workers by version, the mean time of each
	 * step of their loop (seconds), and the requests per second each rng and hasher
	 * replica answers them.
	 */
	record View(List<Version> versions, Map<String, Double> steps, Map<String, List<Replica>> replicas) {
	}

	/**
	 * A worker's fleet record, as docs/webui.md defines it ("The fleet record"); workers
	 * older than the steps and replicas write none of them.
	 */
	record Status(String instance, String version, String build, String sleep, int loops, double rate,
			Map<String, Step> steps, Map<String, Map<String, Double>> replicas) {

		Status {
			build = (build != null) ? build : "";
			steps = (steps != null) ? steps : Map.of();
			replicas = (replicas != null) ? replicas : Map.of();
		}

		Worker worker() {
			return new Worker(this.instance, this.version, this.build, this.sleep, this.loops, this.rate);
		}

	}

	/**
	 * A step's mean time in a worker's recent loops, in seconds, and how often it ran.
	 */
	record Step(double mean, long count) {
	}

	/**
	 * One worker process, as it describes itself; {@code build} is empty where it has
	 * none (outside an image), {@code loops} are its mining loops.
	 */
	record Worker(String instance, String version, String build, String sleep, int loops, double rate) {
	}

	/** A replica of rng or hasher, and the requests per second it answers. */
	record Replica(String instance, double rate) {
	}

	/**
	 * The workers of one version and build: their mining loops, their combined speed,
	 * their instances.
	 */
	record Version(String version, int workers, double rate, String build, List<Worker> instances) {

		static Version of(List<Worker> workers) {
			List<Worker> sorted = workers.stream().sorted(Comparator.comparing(Worker::instance)).toList();
			Worker first = sorted.get(0);
			return new Version(first.version(), sorted.stream().mapToInt(Worker::loops).sum(),
					sorted.stream().mapToDouble(Worker::rate).sum(), first.build(), sorted);
		}

	}

}

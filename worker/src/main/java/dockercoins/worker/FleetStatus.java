package dockercoins.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes, about every second, who this worker is and how fast it mines, for the web
 * UI's fleet view: under a key of its own, {@code fleet:<hostname>:<pid>}, that expires a
 * few seconds after the worker stops publishing, and is deleted when it stops cleanly.
 */
@Component
class FleetStatus {

	static final Duration EXPIRY = Duration.ofSeconds(5);

	/** The rate is averaged over this window: each loop reports about once a second. */
	private static final Duration RATE_WINDOW = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(FleetStatus.class);

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final MiningMetrics metrics;

	private final String key;

	private final String hostname;

	private final String version;

	private final WorkerProperties properties;

	private final Deque<Sample> samples = new ArrayDeque<>();

	private boolean withdrawn;

	FleetStatus(StringRedisTemplate redis, JsonMapper json, MiningMetrics metrics, WorkerProperties properties,
			@Value("${dockercoins.hostname}") String hostname, @Value("${dockercoins.version}") String version) {
		this.redis = redis;
		this.json = json;
		this.metrics = metrics;
		this.properties = properties;
		this.hostname = hostname;
		this.version = version;
		this.key = "fleet:" + hostname + ":" + ProcessHandle.current().pid();
	}

	@Scheduled(fixedRate = 1000)
	synchronized void publish() {
		if (this.withdrawn) {
			return;
		}
		Status status = new Status(this.hostname, this.version, MiningLoop.format(this.properties.sleep()),
				this.properties.loops(), recentRate());
		try {
			this.redis.opsForValue().set(this.key, this.json.writeValueAsString(status), EXPIRY);
		}
		catch (RuntimeException ex) {
			// The mining loops already report Redis failures, once per failed loop.
			logger.debug("Could not publish the fleet status", ex);
		}
	}

	/**
	 * Removes this worker from the fleet view at once, rather than when its key expires.
	 */
	synchronized void withdraw() {
		this.withdrawn = true;
		try {
			this.redis.delete(this.key);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not withdraw the fleet status; it expires in {}", EXPIRY, ex);
		}
	}

	private double recentRate() {
		long now = System.nanoTime();
		Sample latest = new Sample(now, this.metrics.hashesDone());
		this.samples.addLast(latest);
		while (now - this.samples.peekFirst().nanoTime() > RATE_WINDOW.toNanos()) {
			this.samples.removeFirst();
		}
		Sample oldest = this.samples.peekFirst();
		double seconds = (latest.nanoTime() - oldest.nanoTime()) / 1e9;
		double rate = (seconds > 0) ? (latest.hashes() - oldest.hashes()) / seconds : 0;
		return Math.round(rate * 100) / 100.0;
	}

	/**
	 * What the web UI reads: {@code sleep} as the worker's setting is written,
	 * {@code rate} in hashes/second.
	 */
	record Status(String instance, String version, String sleep, int loops, double rate) {
	}

	private record Sample(long nanoTime, double hashes) {
	}

}

package dockercoins.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes, every {@code WORKER_FLEET_INTERVAL}, who this worker is, how fast it mines,
 * where its time goes and which replicas answer it, for the web UI's fleet view: the
 * fleet record of docs/webui.md, under a key of its own, {@code fleet:<hostname>:<pid>},
 * that expires a few seconds after the worker stops publishing, and is deleted when it
 * stops cleanly.
 */
@Component
class FleetStatus implements SmartLifecycle {

	static final Duration EXPIRY = Duration.ofSeconds(5);

	/**
	 * The rate and the replicas' answers are averaged over this window: each loop reports
	 * about once a second.
	 */
	static final Duration RATE_WINDOW = Duration.ofSeconds(5);

	/**
	 * The steps' mean times over a longer one: behind a busy rng a loop takes a second.
	 */
	static final Duration STEP_WINDOW = Duration.ofSeconds(10);

	/**
	 * A publication in progress when the worker stops is cut short: it takes no longer.
	 */
	private static final Duration STOP_WAIT = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(FleetStatus.class);

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final MiningMetrics metrics;

	private final ReplicaAnswers answers;

	private final String key;

	private final String hostname;

	private final String version;

	/** The image's own identity beside its version; empty outside an image. */
	private final String build;

	private final WorkerProperties properties;

	/**
	 * What was counted at each publication, over the last {@link #STEP_WINDOW}; used by
	 * the publishing thread alone.
	 */
	private final Deque<Sample> samples = new ArrayDeque<>();

	/** Publishes while the worker runs; null while it is stopped. */
	private ScheduledExecutorService publisher;

	FleetStatus(StringRedisTemplate redis, JsonMapper json, MiningMetrics metrics, ReplicaAnswers answers,
			WorkerProperties properties, @Value("${dockercoins.hostname}") String hostname,
			@Value("${dockercoins.version}") String version, @Value("${dockercoins.build:}") String build) {
		this.redis = redis;
		this.json = json;
		this.metrics = metrics;
		this.answers = answers;
		this.properties = properties;
		this.hostname = hostname;
		this.version = version;
		this.build = build;
		this.key = "fleet:" + hostname + ":" + ProcessHandle.current().pid();
	}

	@Override
	public synchronized void start() {
		this.publisher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("fleet-status").factory());
		this.publisher.scheduleAtFixedRate(this::publish, 0, this.properties.fleetInterval().toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Stops publishing and removes this worker from the fleet view at once, rather than
	 * when its key expires.
	 */
	@Override
	public synchronized void stop() {
		this.publisher.shutdownNow();
		try {
			this.publisher.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.publisher = null;
		try {
			this.redis.delete(this.key);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not withdraw the fleet status; it expires in {}", EXPIRY, ex);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.publisher != null;
	}

	/**
	 * Starts before the mining loops and stops after them, once their last report is
	 * written: a worker leaves the fleet view with all its work counted.
	 */
	@Override
	public int getPhase() {
		return MiningLoops.PHASE - 1;
	}

	private void publish() {
		// Whatever fails, the next publication must come: an exception would end them.
		try {
			Sample latest = sample();
			Sample recent = oldestWithin(RATE_WINDOW);
			double seconds = (latest.nanoTime() - recent.nanoTime()) / 1e9;
			Status status = new Status(this.hostname, this.version, this.build,
					WorkerProperties.format(this.properties.sleep()), this.properties.loops(),
					rate(latest.hashes() - recent.hashes(), seconds), steps(this.samples.peekFirst(), latest),
					replicas(recent, latest, seconds));
			this.redis.opsForValue().set(this.key, this.json.writeValueAsString(status), EXPIRY);
		}
		catch (RuntimeException ex) {
			// The mining loops already report Redis failures, once per failed loop.
			logger.debug("Could not publish the fleet status", ex);
		}
	}

	private Sample sample() {
		long now = System.nanoTime();
		Sample latest = new Sample(now, this.metrics.hashesDone(), this.metrics.stepTotals(), this.answers.counts());
		this.samples.addLast(latest);
		while (now - this.samples.peekFirst().nanoTime() > STEP_WINDOW.toNanos()) {
			this.samples.removeFirst();
		}
		return latest;
	}

	private Sample oldestWithin(Duration window) {
		long now = this.samples.peekLast().nanoTime();
		return this.samples.stream()
			.filter((sample) -> now - sample.nanoTime() <= window.toNanos())
			.findFirst()
			.orElseThrow();
	}

	/** The mean time of each step that ran between the two samples. */
	private static Map<String, Step> steps(Sample from, Sample to) {
		Map<String, Step> steps = new LinkedHashMap<>();
		to.steps().forEach((step, total) -> {
			MiningMetrics.StepTotal before = from.steps().get(step);
			long count = total.count() - before.count();
			if (count > 0) {
				double mean = (total.seconds() - before.seconds()) / count;
				steps.put(step, new Step(Math.round(mean * 1e4) / 1e4, count));
			}
		});
		return steps;
	}

	/** The answers per second of each replica that answered between the two samples. */
	private static Map<String, Map<String, Double>> replicas(Sample from, Sample to, double seconds) {
		Map<String, Map<String, Double>> replicas = new TreeMap<>();
		to.answers().forEach((service, counts) -> {
			Map<String, Long> before = from.answers().getOrDefault(service, Map.of());
			Map<String, Double> rates = new TreeMap<>();
			counts.forEach((instance, count) -> {
				long answered = count - before.getOrDefault(instance, 0L);
				if (answered > 0 && seconds > 0) {
					rates.put(instance, rate(answered, seconds));
				}
			});
			replicas.put(service, rates);
		});
		return replicas;
	}

	private static double rate(double count, double seconds) {
		return (seconds > 0) ? Math.round(count / seconds * 100) / 100.0 : 0;
	}

	/**
	 * The fleet record, whose fields docs/webui.md defines ("The fleet record"), and
	 * which the web UI reads.
	 */
	record Status(String instance, String version, String build, String sleep, int loops, double rate,
			Map<String, Step> steps, Map<String, Map<String, Double>> replicas) {
	}

	/** A step's mean time, in seconds, and how often it ran. */
	record Step(double mean, long count) {
	}

	private record Sample(long nanoTime, double hashes, Map<String, MiningMetrics.StepTotal> steps,
			Map<String, Map<String, Long>> answers) {
	}

}

package dockercoins.worker;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the configured number of mining loops and on shutdown adds the loops not yet
 * reported to {@code hashes}, so that stopping a worker loses no counted work.
 */
@Component
class MiningLoops implements SmartLifecycle {

	/** The last to start and the first to stop (see {@link FleetStatus#getPhase()}). */
	static final int PHASE = DEFAULT_PHASE;

	private static final Logger logger = LoggerFactory.getLogger(MiningLoops.class);

	/**
	 * Loops stop at once, but one in a Redis write finishes it first, within the Redis
	 * command timeout (1s).
	 */
	private static final Duration STOP_WAIT = Duration.ofMillis(1500);

	private final MiningClient client;

	private final Wallet wallet;

	/** Counts the loops done: the last line says how many. */
	private final MiningMetrics metrics;

	private final WorkerProperties properties;

	/** The running loops; none while stopped. */
	private List<MiningLoop> loops = List.of();

	MiningLoops(MiningClient client, Wallet wallet, MiningMetrics metrics, WorkerProperties properties) {
		this.client = client;
		this.wallet = wallet;
		this.metrics = metrics;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		this.loops = IntStream.rangeClosed(1, this.properties.loops())
			.mapToObj((i) -> new MiningLoop("mining-" + i, this.client, this.wallet, this.metrics, this.properties))
			.toList();
		this.loops.forEach(MiningLoop::start);
	}

	/** Stops every loop, abandoning the loops in progress, then reports what they did. */
	@Override
	public synchronized void stop() {
		this.loops.forEach(MiningLoop::stop);
		long deadline = System.nanoTime() + STOP_WAIT.toNanos();
		try {
			for (MiningLoop loop : this.loops) {
				loop.awaitStop(deadline);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long count = this.loops.stream().mapToLong(MiningLoop::takeUnreported).sum();
		this.loops = List.of();
		logger.info("{} units of work done, updating hash counter", count);
		try {
			this.wallet.addHashes(count);
		}
		catch (RuntimeException ex) {
			logger.error("Could not report the last {} units of work: {}", count, ex.getMessage());
		}
		logger.info("Worker stopped: {} units of work done in all", (long) this.metrics.hashesDone());
	}

	@Override
	public synchronized boolean isRunning() {
		return !this.loops.isEmpty();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}

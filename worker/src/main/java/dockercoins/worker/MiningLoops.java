package dockercoins.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the configured number of mining loops, each on its own thread, and on shutdown
 * adds the loops not yet reported to {@code hashes}, so that stopping a worker loses no
 * counted work.
 */
@Component
class MiningLoops implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(MiningLoops.class);

	/**
	 * Loops stop at once, but one in a Redis write finishes it first, within the Redis
	 * command timeout (1s).
	 */
	private static final Duration STOP_WAIT = Duration.ofMillis(1500);

	private final List<MiningLoop> loops;

	private final Wallet wallet;

	private final FleetStatus fleet;

	/** Counts the loops done: the last line says how many. */
	private final MiningMetrics metrics;

	private final List<Thread> threads = new ArrayList<>();

	MiningLoops(MiningClient client, Wallet wallet, FleetStatus fleet, MiningMetrics metrics,
			WorkerProperties properties) {
		this.wallet = wallet;
		this.fleet = fleet;
		this.metrics = metrics;
		this.loops = IntStream.range(0, properties.loops())
			.mapToObj((i) -> new MiningLoop(client, wallet, metrics, properties))
			.toList();
	}

	@Override
	public synchronized void start() {
		for (int i = 0; i < this.loops.size(); i++) {
			this.threads.add(Thread.ofVirtual().name("mining-" + (i + 1)).start(this.loops.get(i)));
		}
	}

	/** Stops every loop, abandoning the loops in progress, then reports what they did. */
	@Override
	public synchronized void stop() {
		for (int i = 0; i < this.threads.size(); i++) {
			this.loops.get(i).stop(this.threads.get(i));
		}
		long deadline = System.nanoTime() + STOP_WAIT.toNanos();
		for (Thread thread : this.threads) {
			joinUntil(thread, deadline);
		}
		this.threads.clear();
		long count = this.loops.stream().mapToLong(MiningLoop::takeUnreported).sum();
		logger.info("{} units of work done, updating hash counter", count);
		try {
			this.wallet.addHashes(count);
		}
		catch (RuntimeException ex) {
			logger.error("Could not report the last {} units of work: {}", count, ex.getMessage());
		}
		this.fleet.withdraw();
		logger.info("Worker stopped: {} units of work done in all", (long) this.metrics.hashesDone());
	}

	@Override
	public synchronized boolean isRunning() {
		return !this.threads.isEmpty();
	}

	private static void joinUntil(Thread thread, long deadline) {
		try {
			thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package dockercoins.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mining loop, behaving like one original worker: sleep, get 32 random bytes, hash
 * them, keep the hash if it is a coin, and add the loop count to {@code hashes} about
 * once per report interval. Any failure is logged and the loop restarts after a delay.
 */
class MiningLoop implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(MiningLoop.class);

	private final MiningClient client;

	private final Wallet wallet;

	private final MiningMetrics metrics;

	private final WorkerProperties properties;

	/** Loops done but not yet added to {@code hashes}; kept across failures. */
	private final AtomicLong unreported = new AtomicLong();

	private volatile boolean running = true;

	/** Read and written by the loop's own thread only. */
	private long nextReport = System.nanoTime();

	MiningLoop(MiningClient client, Wallet wallet, MiningMetrics metrics, WorkerProperties properties) {
		this.client = client;
		this.wallet = wallet;
		this.metrics = metrics;
		this.properties = properties;
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				try {
					reportIfDue();
					mineOnce();
				}
				catch (RuntimeException ex) {
					if (this.running) {
						restartAfter(ex);
					}
				}
			}
		}
		catch (InterruptedException ex) {
			// Stopping: the count of the loops done is taken over by takeUnreported().
		}
	}

	/**
	 * Asks the loop to stop; the caller interrupts its thread to abandon the current
	 * loop.
	 */
	void stop() {
		this.running = false;
	}

	/**
	 * Takes the count of loops done but not yet reported, so that a final report adds it.
	 */
	long takeUnreported() {
		return this.unreported.getAndSet(0);
	}

	private void reportIfDue() {
		if (System.nanoTime() - this.nextReport < 0) {
			return;
		}
		long count = takeUnreported();
		logger.info("{} units of work done, updating hash counter", count);
		try {
			this.metrics.time("redis", () -> {
				this.wallet.addHashes(count);
				return count;
			});
		}
		catch (RuntimeException ex) {
			this.unreported.addAndGet(count);
			throw ex;
		}
		this.nextReport = System.nanoTime() + this.properties.reportInterval().toNanos();
	}

	private void mineOnce() throws InterruptedException {
		this.metrics.sleep(this.properties.sleep());
		byte[] randomBytes = this.metrics.time("rng", () -> this.client.randomBytes(32));
		String hex = this.metrics.time("hasher", () -> this.client.hash(randomBytes));
		if (hex.startsWith("0")) {
			logger.info("Coin found: {}...", hex.substring(0, 8));
			boolean created = this.metrics.time("redis", () -> this.wallet.storeCoin(hex, randomBytes));
			if (!created) {
				logger.info("We already had that coin");
			}
			this.metrics.coinFound();
		}
		this.unreported.incrementAndGet();
		this.metrics.hashDone();
	}

	private void restartAfter(RuntimeException ex) throws InterruptedException {
		String cause = (ex instanceof StepFailedException failed) ? failed.step() : "other";
		this.metrics.loopFailed(cause);
		logger.error("In work loop: {}", ex.getMessage());
		logger.debug("Failure details", ex);
		Duration delay = this.properties.retryDelay();
		logger.error("Waiting {} and restarting.", format(delay));
		Thread.sleep(delay);
	}

	/**
	 * Whole seconds as the original writes them ("10s"), anything else in milliseconds.
	 */
	static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}

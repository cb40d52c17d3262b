package dockercoins.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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

	/** Guards {@code running} and {@code writing} against a stop. */
	private final Object lock = new Object();

	private volatile boolean running = true;

	/** Whether the loop is in a Redis write, which a stop must not interrupt. */
	private boolean writing;

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
	 * Stops the loop, abandoning the loop in progress by interrupting {@code thread}, the
	 * loop's own, unless it is writing to Redis: then it stops once the write is done.
	 */
	void stop(Thread thread) {
		synchronized (this.lock) {
			this.running = false;
			if (!this.writing) {
				thread.interrupt();
			}
		}
	}

	/**
	 * Takes the count of loops done but not yet reported, so that a final report adds it.
	 */
	long takeUnreported() {
		return this.unreported.getAndSet(0);
	}

	private void reportIfDue() throws InterruptedException {
		if (System.nanoTime() - this.nextReport < 0) {
			return;
		}
		long count = takeUnreported();
		logger.info("{} units of work done, updating hash counter", count);
		try {
			writeToRedis(() -> {
				this.wallet.addHashes(count);
				return count;
			});
		}
		catch (RuntimeException | InterruptedException ex) {
			// Not written: a failure, or a stop that came first. Reported later, then.
			this.unreported.addAndGet(count);
			throw ex;
		}
		this.nextReport = System.nanoTime() + this.properties.reportInterval().toNanos();
	}

	private void mineOnce() throws InterruptedException {
		this.metrics.sleep(this.properties.sleep());
		byte[] randomBytes = this.metrics.time("rng", () -> this.client.randomBytes());
		String hex = this.metrics.time("hasher", () -> this.client.hash(randomBytes));
		if (hex.startsWith("0")) {
			logger.info("Coin found: {}...", hex.substring(0, 8));
			boolean created = writeToRedis(() -> this.wallet.storeCoin(hex, randomBytes));
			if (!created) {
				logger.info("We already had that coin");
			}
			this.metrics.coinFound();
		}
		this.unreported.incrementAndGet();
		this.metrics.hashDone();
	}

	/**
	 * Runs a Redis write that a stop does not interrupt: an interrupted command may still
	 * be carried out by Redis, and its count would then be reported twice.
	 */
	private <T> T writeToRedis(Supplier<T> write) throws InterruptedException {
		synchronized (this.lock) {
			if (!this.running) {
				throw new InterruptedException("stopping");
			}
			this.writing = true;
		}
		try {
			return this.metrics.time("redis", write);
		}
		finally {
			synchronized (this.lock) {
				this.writing = false;
				if (!this.running) {
					// The stop that came during the write: abandon what follows.
					Thread.currentThread().interrupt();
				}
			}
		}
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

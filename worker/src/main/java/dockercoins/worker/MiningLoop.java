package dockercoins.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mining loop on a thread of its own, behaving like one original worker: sleep, get
 * 32 random bytes, hash them, keep the hash if it is a coin, and add the loop count to
 * {@code hashes} about once per report interval. Any failure is logged and the loop
 * restarts after a delay. A stop abandons the loop in progress but never a Redis write.
 */
class MiningLoop implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(MiningLoop.class);

	private final MiningClient client;

	private final Wallet wallet;

	private final MiningMetrics metrics;

	private final WorkerProperties properties;

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * Held during a Redis write, which a stop must not interrupt: an interrupted command
	 * may still be carried out by Redis, and its count would then be reported twice.
	 */
	private final ReentrantLock writing = new ReentrantLock();

	/** Loops done but not yet added to {@code hashes}; kept across failures. */
	private final AtomicLong unreported = new AtomicLong();

	/** Read and written by the loop's own thread only. */
	private long nextReport = System.nanoTime();

	MiningLoop(String name, MiningClient client, Wallet wallet, MiningMetrics metrics, WorkerProperties properties) {
		this.client = client;
		this.wallet = wallet;
		this.metrics = metrics;
		this.properties = properties;
		this.thread = Thread.ofVirtual().name(name).unstarted(this);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Stops the loop without waiting: its thread is interrupted, abandoning the loop in
	 * progress, unless it is writing to Redis; then it stops once the write is done.
	 */
	void stop() {
		this.running = false;
		if (this.writing.tryLock()) {
			try {
				this.thread.interrupt();
			}
			finally {
				this.writing.unlock();
			}
		}
	}

	/** Waits until the loop's thread has ended, or until {@code deadline} (nanoTime). */
	void awaitStop(long deadline) throws InterruptedException {
		this.thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
	}

	/**
	 * Takes the count of loops done but not yet reported, so that a final report adds it.
	 */
	long takeUnreported() {
		return this.unreported.getAndSet(0);
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				try {
					reportIfDue();
					// A stop during the report's write ends the loop here.
					if (this.running) {
						mineOnce();
					}
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
		logger.debug("Doing one unit of work");
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
		else {
			logger.debug("No coin found");
		}
		this.unreported.incrementAndGet();
		this.metrics.hashDone();
	}

	/** Runs a Redis write, unless the loop is stopping. */
	private <T> T writeToRedis(Supplier<T> write) throws InterruptedException {
		this.writing.lock();
		try {
			if (!this.running) {
				throw new InterruptedException("stopping");
			}
			return this.metrics.time("redis", write);
		}
		finally {
			this.writing.unlock();
		}
	}

	private void restartAfter(RuntimeException ex) throws InterruptedException {
		String cause = (ex instanceof StepFailedException failed) ? failed.step() : "other";
		this.metrics.loopFailed(cause);
		logger.error("In work loop: {}", ex.getMessage());
		logger.debug("Failure details", ex);
		Duration delay = this.properties.retryDelay();
		logger.error("Waiting {} and restarting.", WorkerProperties.format(delay));
		Thread.sleep(delay);
	}

}

package dockercoins.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The original services' code (read where it lies, never kept in this repository),
 * rewritten at run time as a test fixture would: its host names pointed at loopback
 * ports, its fixed 0.1 s sleeps set to the configuration's latencies, or taken out at
 * zero. Each rewrite must find the text it replaces exactly once, so that a change in the
 * original fails loudly instead of measuring something else.
 *
 * @param rng the text of {@code rng/rng.py}
 * @param hasher the text of {@code hasher/hasher.rb}
 * @param worker the text of {@code worker/worker.py}
 */
record OriginalSources(String rng, String hasher, String worker) {

	/**
	 * Where the original's code is, from the repository's root (BENCHMARKS.md, "Side by
	 * side with the original").
	 */
	static final String DEFAULT_DIRECTORY = "../shared/peers/container.training/dockercoins";

	static OriginalSources read(Path directory) throws IOException {
		return new OriginalSources(read(directory, "rng/rng.py"), read(directory, "hasher/hasher.rb"),
				read(directory, "worker/worker.py"));
	}

	/** rng.py, answering after the given latency. */
	String rng(Duration latency) {
		return replaceOnce("rng.py", this.rng, "time.sleep(0.1)", pythonSleep(latency));
	}

	/** hasher.rb, on the given port, answering after the given latency. */
	String hasher(int port, Duration latency) {
		String hasher = replaceOnce("hasher.rb", this.hasher, "set :port, 80", "set :port, " + port);
		return replaceOnce("hasher.rb", hasher, "sleep 0.1", latency.isZero() ? "" : "sleep " + seconds(latency));
	}

	/**
	 * worker.py, using the given Redis port, rng and hasher (base URLs without a trailing
	 * slash), pausing for the given sleep at the start of each loop.
	 */
	String worker(int redisPort, String rngUrl, String hasherUrl, Duration sleep) {
		String worker = replaceOnce("worker.py", this.worker, "Redis(\"redis\")",
				"Redis(\"" + Loopback.ADDRESS + "\", " + redisPort + ")");
		worker = replaceOnce("worker.py", worker, "\"http://rng/32\"", "\"" + rngUrl + "/32\"");
		worker = replaceOnce("worker.py", worker, "\"http://hasher/\"", "\"" + hasherUrl + "/\"");
		return replaceOnce("worker.py", worker, "time.sleep(0.1)", pythonSleep(sleep));
	}

	/**
	 * A Python statement that sleeps this long; {@code pass} keeps its block valid at 0.
	 */
	private static String pythonSleep(Duration duration) {
		return duration.isZero() ? "pass" : "time.sleep(" + seconds(duration) + ")";
	}

	/** Seconds as Python and Ruby write them: {@code 0.1}, {@code 0.01}, {@code 2}. */
	static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
	}

	static String replaceOnce(String file, String text, String target, String replacement) {
		int first = text.indexOf(target);
		if (first < 0 || text.indexOf(target, first + 1) >= 0) {
			throw new IllegalStateException("The original's " + file + " has " + ((first < 0) ? "no" : "more than one")
					+ " '" + target + "' to rewrite: it has changed, and bench's OriginalSources must follow it");
		}
		return text.substring(0, first) + replacement + text.substring(first + target.length());
	}

	private static String read(Path directory, String file) throws IOException {
		Path path = directory.resolve(file);
		if (!Files.isRegularFile(path)) {
			throw new IllegalStateException("The original's code is not in " + directory.toAbsolutePath() + " (no "
					+ file + "): give its dockercoins directory with --original-dir");
		}
		return Files.readString(path);
	}

}

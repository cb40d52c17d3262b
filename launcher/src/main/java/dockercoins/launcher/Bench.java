package dockercoins.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code bench} mode of the launcher: for each configuration, starts a fresh stack,
 * lets it warm up, then measures the rise of {@code hashes} in Redis and the CPU time of
 * each process over a window, and prints the table of {@link BenchReport}.
 */
final class Bench {

	/** Between two reads of {@code hashes} while waiting for a worker's report. */
	private static final Duration POLL = Duration.ofMillis(10);

	/** Longer than a worker's report interval (1s by default). */
	private static final Duration REPORT_WAIT = Duration.ofSeconds(3);

	private final BenchOptions options;

	private final PrintStream out;

	private final PrintStream log;

	private Launcher current;

	Bench(BenchOptions options, PrintStream out, PrintStream log) {
		this.options = options;
		this.out = out;
		this.log = log;
	}

	/** Runs {@code bench} with the command line after the word {@code bench}. */
	static int main(String... args) throws IOException, InterruptedException {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(BenchOptions.USAGE);
			return 2;
		}
		if (options.help()) {
			System.out.print(BenchOptions.USAGE);
			return 0;
		}
		Path logFile = Files.createTempFile("dockercoins-bench-", ".log");
		try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
			Bench bench = new Bench(options, System.out, log);
			Runtime.getRuntime().addShutdownHook(new Thread(bench::stopCurrent, "bench-stop"));
			bench.progress("The services' output goes to " + logFile);
			List<BenchResult> results;
			try {
				results = bench.run();
			}
			catch (IllegalStateException ex) {
				bench.progress(ex.getMessage() + " (see " + logFile + ")");
				return 1;
			}
			BenchReport report = new BenchReport(results);
			System.out.println();
			System.out.print(report.table());
			if (options.csv() != null) {
				Files.writeString(options.csv(), report.csv());
			}
			if (options.json() != null) {
				Files.writeString(options.json(), report.json());
			}
			return 0;
		}
	}

	List<BenchResult> run() throws IOException, InterruptedException {
		List<BenchResult> results = new ArrayList<>();
		List<BenchConfig> configs = this.options.configs();
		long start = System.nanoTime();
		for (int i = 0; i < configs.size(); i++) {
			BenchConfig config = configs.get(i);
			String step = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, configs.size(), config.name());
			BenchResult result = measure(config, step);
			progress(String.format(Locale.ROOT, "%s: %.1f hashes/s, model %s (%.0f s so far)", step,
					result.hashesPerSecond(),
					config.model().isPresent() ? String.format(Locale.ROOT, "%.1f", config.model().getAsDouble()) : "-",
					(System.nanoTime() - start) / 1e9));
			results.add(result);
		}
		return results;
	}

	private BenchResult measure(BenchConfig config, String step) throws IOException, InterruptedException {
		progress(step + ": starting the stack (" + config.workers() + " workers, " + config.rngInstances() + " rng"
				+ (config.environment().isEmpty() ? "" : ", " + config.environment()) + ")");
		Launcher launcher = new Launcher(this.options.launchOptions(config), this.log);
		setCurrent(launcher);
		try {
			launcher.start();
			progress(step + ": warming up for " + this.options.warmup().toSeconds() + " s");
			Thread.sleep(this.options.warmup());
			try (HashesCounter hashes = new HashesCounter(this.options.redisPort())) {
				Sample first = hashes.nextReport(launcher);
				progress(step + ": measuring for " + this.options.window().toSeconds() + " s");
				Thread.sleep(Duration
					.ofNanos(Math.max(0, first.nanos() + this.options.window().toNanos() - System.nanoTime())));
				Sample last = hashes.nextReport(launcher);
				double seconds = (last.nanos() - first.nanos()) / 1e9;
				Map<String, Double> cores = new LinkedHashMap<>();
				last.cpu()
					.forEach((name, cpu) -> cores.merge(service(name),
							(cpu - first.cpu().getOrDefault(name, 0L)) / 1e9 / seconds, Double::sum));
				return new BenchResult(config, (last.hashes() - first.hashes()) / seconds, cores);
			}
		}
		finally {
			launcher.stop();
			setCurrent(null);
		}
	}

	private synchronized void setCurrent(Launcher launcher) {
		this.current = launcher;
	}

	private synchronized void stopCurrent() {
		if (this.current != null) {
			this.current.stop();
		}
	}

	private void progress(String message) {
		this.out.println(String.format("%-8s | ", "bench") + message);
	}

	/** The service a process belongs to: {@code rng-2} is an rng. */
	static String service(String processName) {
		return processName.replaceFirst("-\\d+$", "");
	}

	/**
	 * The count of {@code hashes} at a moment, with the CPU time (in nanoseconds) each
	 * process had used by then.
	 */
	record Sample(long hashes, long nanos, Map<String, Long> cpu) {

	}

	/**
	 * Reads {@code hashes} from Redis over one connection, in the plain Redis protocol.
	 */
	private static final class HashesCounter implements AutoCloseable {

		private final Socket socket;

		private final BufferedReader in;

		private final OutputStream outStream;

		HashesCounter(int port) throws IOException {
			this.socket = new Socket();
			this.socket.connect(new InetSocketAddress(Launcher.LOOPBACK, port), 1000);
			this.socket.setSoTimeout(2000);
			this.in = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.US_ASCII));
			this.outStream = this.socket.getOutputStream();
		}

		/**
		 * Waits for the next report of a worker (the first rise of {@code hashes}), so
		 * that a window starts and ends on a report; with a single mining loop it then
		 * counts exactly the loops done within it.
		 */
		Sample nextReport(Launcher launcher) throws IOException, InterruptedException {
			long before = read();
			long deadline = System.nanoTime() + REPORT_WAIT.toNanos();
			long now;
			long hashes;
			do {
				Thread.sleep(POLL);
				now = System.nanoTime();
				hashes = read();
			}
			while (hashes == before && now < deadline);
			return new Sample(hashes, now, launcher.cpuTimes());
		}

		private long read() throws IOException {
			this.outStream.write("GET hashes\r\n".getBytes(StandardCharsets.US_ASCII));
			this.outStream.flush();
			String header = this.in.readLine();
			if (header == null || !header.startsWith("$")) {
				throw new IOException("Redis answered GET hashes with " + header);
			}
			return header.equals("$-1") ? 0 : Long.parseLong(this.in.readLine());
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}

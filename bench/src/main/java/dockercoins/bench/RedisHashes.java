package dockercoins.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Reads the {@code hashes} counter of a stack's Redis over one connection, in the plain
 * Redis protocol, so that ours and the original are read the same way.
 */
final class RedisHashes implements AutoCloseable {

	/** Between two reads of {@code hashes} while waiting for a worker's report. */
	private static final Duration POLL = Duration.ofMillis(10);

	/** Longer than a worker's report interval (1s in ours and in the original). */
	private static final Duration REPORT_WAIT = Duration.ofSeconds(3);

	private final Socket socket;

	private final BufferedReader in;

	private final OutputStream out;

	RedisHashes(int port) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress(Loopback.ADDRESS, port), 1000);
		this.socket.setSoTimeout(2000);
		this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.US_ASCII));
		this.out = this.socket.getOutputStream();
	}

	/**
	 * Waits for the next report of a worker (the first rise of {@code hashes}), so that a
	 * window starts and ends on a report; with a single mining loop it then counts
	 * exactly the loops done within it.
	 */
	Sample nextReport(RunningStack stack) throws IOException, InterruptedException {
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
		return new Sample(hashes, now, stack.cpuTimes());
	}

	private long read() throws IOException {
		this.out.write("GET hashes\r\n".getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
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

	/**
	 * The count of {@code hashes} at a moment, with the CPU time (in nanoseconds) each
	 * process had used by then.
	 */
	record Sample(long hashes, long nanos, Map<String, Long> cpu) {

	}

}

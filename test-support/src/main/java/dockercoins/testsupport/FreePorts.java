package dockercoins.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Ports for the servers the tests start on loopback: free when handed out, and handed out
 * once in a JVM, since a server may not have bound the last one yet.
 */
public final class FreePorts {

	/**
	 * Below Linux's ephemeral range (32768 and up), where an outgoing connection could
	 * take a port between its check and its use.
	 */
	private static final int FIRST_PORT = 20_000;

	private static final int LAST_PORT = 32_000;

	private static final Set<Integer> HANDED_OUT = new HashSet<>();

	private FreePorts() {
	}

	/** A port that is free on loopback. */
	public static int one() {
		return firstOf(1);
	}

	/** The first of {@code count} consecutive ports that are free on loopback. */
	public static synchronized int firstOf(int count) {
		while (true) {
			int first = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT - count);
			if (IntStream.range(first, first + count).allMatch((port) -> !HANDED_OUT.contains(port) && isFree(port))) {
				IntStream.range(first, first + count).forEach(HANDED_OUT::add);
				return first;
			}
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}

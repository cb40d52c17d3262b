package dockercoins.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import redis.embedded.RedisServer;

/**
 * A real Redis server shared by the tests: in a container where a Docker engine runs,
 * otherwise a redis-server binary (shipped by embedded-redis) started on loopback.
 */
final class TestRedis {

	/** The image of the stacks' own Redis (docker-compose.yml, stack.yml). */
	private static final DockerImageName IMAGE = DockerImageName.parse("redis:8");

	/**
	 * Ports for the servers the tests start: below Linux's ephemeral range (32768 and
	 * up), where an outgoing connection could take a port between its check and its use.
	 */
	private static final int FIRST_PORT = 20_000;

	private static final int LAST_PORT = 32_000;

	/** Each port is handed out once: a server may not have bound the last one yet. */
	private static final Set<Integer> HANDED_OUT = new HashSet<>();

	private static String host;

	private static int port;

	private TestRedis() {
	}

	static String host() {
		return host;
	}

	static int port() {
		return port;
	}

	static synchronized void start() {
		if (host != null) {
			return;
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			RedisContainer container = new RedisContainer(IMAGE);
			container.start();
			// Ryuk, which would remove it, is off (the pom says why).
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
			host = container.getHost();
			port = container.getFirstMappedPort();
			return;
		}
		try {
			port = freePort();
			RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server)));
			host = "127.0.0.1";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A port that is free on loopback, and not handed out before. */
	static synchronized int freePort() {
		while (true) {
			int candidate = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT);
			if (HANDED_OUT.add(candidate) && isFree(candidate)) {
				return candidate;
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

	private static void stopQuietly(RedisServer server) {
		try {
			server.stop();
		}
		catch (IOException ex) {
			// The JVM is exiting: the server goes with it.
		}
	}

}

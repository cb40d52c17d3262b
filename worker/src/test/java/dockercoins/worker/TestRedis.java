package dockercoins.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis server shared by the tests: in a container where a Docker engine runs,
 * otherwise a redis-server binary (shipped by embedded-redis) started on loopback.
 */
final class TestRedis {

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
			RedisContainer container = new RedisContainer(RedisContainer.DEFAULT_IMAGE_NAME);
			container.start();
			host = container.getHost();
			port = container.getFirstMappedPort();
			return;
		}
		try {
			port = freePort();
			RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
			server.start();
			host = "127.0.0.1";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

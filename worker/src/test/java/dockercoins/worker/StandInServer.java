package dockercoins.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server speaking the rng or hasher wire contract, so that the worker's
 * tests choose the random bytes and see every request.
 */
final class StandInServer implements AutoCloseable {

	private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

	private final HttpServer server;

	private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

	private final List<String> hosts = new CopyOnWriteArrayList<>();

	/** Which requests, counted from 0, are answered 503. */
	private final IntPredicate failing;

	private final AtomicInteger requests = new AtomicInteger();

	/** The DockerCoins-Instance header of the answers; none when null. */
	private volatile String instance;

	private StandInServer(InetSocketAddress address, IntPredicate failing, Handler handler) {
		this.failing = failing;
		try {
			this.server = HttpServer.create(address, 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", (exchange) -> {
			try (exchange) {
				if (this.failing.test(this.requests.getAndIncrement())) {
					exchange.sendResponseHeaders(503, -1);
					return;
				}
				this.hosts.add(exchange.getRequestHeaders().getFirst("Host"));
				byte[] body = handler.answer(exchange);
				this.bodies.add(body);
				if (this.instance != null) {
					exchange.getResponseHeaders().set("DockerCoins-Instance", this.instance);
				}
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
		});
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
	}

	/** An rng that answers 503 to the requests {@code failing} picks, else bytes. */
	static StandInServer rng(IntPredicate failing, Supplier<byte[]> bytes) {
		return new StandInServer(LOOPBACK, failing, (exchange) -> bytes.get());
	}

	static StandInServer rng(Supplier<byte[]> bytes) {
		return rng((request) -> false, bytes);
	}

	/** An rng on the given address and port. */
	static StandInServer rngAt(InetSocketAddress address, Supplier<byte[]> bytes) {
		return new StandInServer(address, (request) -> false, (exchange) -> bytes.get());
	}

	/** A hasher that answers the SHA-256 hex of each body, like the real one. */
	static StandInServer hasher() {
		return new StandInServer(LOOPBACK, (request) -> false,
				(exchange) -> sha256Hex(exchange.getRequestBody().readAllBytes()).getBytes());
	}

	/** Names this replica in the DockerCoins-Instance header of its answers. */
	StandInServer named(String instance) {
		this.instance = instance;
		return this;
	}

	URI url() {
		return URI.create("http://127.0.0.1:" + port());
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/** The bodies answered so far. */
	List<byte[]> answered() {
		return this.bodies;
	}

	/** The Host header of each request. */
	List<String> hosts() {
		return this.hosts;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	static String sha256Hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private interface Handler {

		byte[] answer(HttpExchange exchange) throws IOException;

	}

}

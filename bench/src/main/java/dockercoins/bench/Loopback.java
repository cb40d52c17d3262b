package dockercoins.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What listens on 127.0.0.1, where every stack bench starts runs. */
final class Loopback {

	static final String ADDRESS = "127.0.0.1";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private Loopback() {
	}

	static String url(int port) {
		return "http://" + ADDRESS + ":" + port;
	}

	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(ADDRESS))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Whether an HTTP server on the port answers {@code GET /} with 200. */
	static boolean answersHttp(int port) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url(port) + "/"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Whether a Redis server on the port answers {@code PING}. */
	static boolean answersRedis(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(ADDRESS, port), 1000);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			return "+PONG"
				.equals(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
					.readLine());
		}
		catch (IOException ex) {
			return false;
		}
	}

}

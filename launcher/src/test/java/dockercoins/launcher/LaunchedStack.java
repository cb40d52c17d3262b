package dockercoins.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.testsupport.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The launcher jar run as a user runs it, on free ports, with its output kept for the
 * tests.
 */
final class LaunchedStack implements AutoCloseable {

	private static final Pattern HASHES = Pattern.compile("\"hashes\":(\\d+)");

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newHttpClient();

	final int port;

	final int redisPort;

	private LaunchedStack(int port, int redisPort, boolean ownRedis, List<String> options) throws IOException {
		this.port = port;
		this.redisPort = redisPort;
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
						System.getProperty("launcher.jar"), "--port", String.valueOf(port)));
		command.addAll(ownRedis ? List.of("--redis-port", String.valueOf(redisPort))
				: List.of("--redis-url", "redis://127.0.0.1:" + redisPort));
		command.addAll(options);
		this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
		Thread.ofPlatform().daemon().start(this::collectOutput);
	}

	/**
	 * Starts the launcher on free ports; {@code ports} is how many the services need
	 * after the first.
	 */
	static LaunchedStack start(int ports, String... options) throws IOException {
		return startAt(FreePorts.firstOf(ports + 1), options);
	}

	/** Starts the launcher with the web UI on {@code port}. */
	static LaunchedStack startAt(int port, String... options) throws IOException {
		return new LaunchedStack(port, FreePorts.one(), true, List.of(options));
	}

	/**
	 * Starts the launcher with the web UI on {@code port}, using the Redis server on
	 * {@code redisPort} instead of starting one, so that the counters outlive the stack.
	 */
	static LaunchedStack startWithRedis(int port, int redisPort, String... options) throws IOException {
		return new LaunchedStack(port, redisPort, false, List.of(options));
	}

	void awaitReady() {
		await().atMost(Duration.ofMinutes(4)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The launcher exited with " + this.process.exitValue() + ":\n"
						+ String.join("\n", this.output));
			}
			return this.output.stream().anyMatch((line) -> line.contains(Launcher.RUNNING));
		});
	}

	HttpResponse<byte[]> get(int port, String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(url(port, path)).build());
	}

	/** The {@code hashes} counter, as the web UI's {@code /json} shows it. */
	long hashes() throws IOException, InterruptedException {
		Matcher matcher = HASHES.matcher(new String(get(this.port, "/json").body(), StandardCharsets.UTF_8));
		assertThat(matcher.find()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	HttpResponse<byte[]> post(int port, String path, byte[] body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(url(port, path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
	}

	List<String> output() {
		return this.output;
	}

	Process process() {
		return this.process;
	}

	@Override
	public void close() throws InterruptedException {
		// Through the handle, as Ctrl-C would: Process.destroy() would also close the
		// output.
		this.process.toHandle().destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
		}
		this.http.close();
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	private static URI url(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private void collectOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				System.out.println(line);
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

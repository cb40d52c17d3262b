package dockercoins.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.testsupport.FreePorts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis and the services, each a process of its own on loopback, started from the jars
 * the launcher embeds, so that a test can stop, kill and start each one on its own.
 */
final class LocalServices implements AutoCloseable {

	private static final Path JARS = Path.of(System.getProperty("services.directory", "target/classes/services"));

	private static final Pattern STOPPED = Pattern.compile("Worker stopped: (\\d+) units of work done in all");

	private final Output output = new Output();

	private final List<Service> started = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	final int redisPort = FreePorts.one();

	private RedisClient redisClient;

	private StatefulRedisConnection<String, String> redis;

	/** Starts a Redis server on {@link #redisPort}, with extra redis-server arguments. */
	Service startRedis(String... arguments) throws IOException {
		List<String> command = new ArrayList<>(Launcher.redisCommand(this.redisPort));
		command.addAll(List.of(arguments));
		Service service = start(new Service(this, "redis", "redis", this.redisPort, command, Map.of()));
		await().atMost(Duration.ofSeconds(30)).until(() -> service.outputContains("Ready to accept connections"));
		return service;
	}

	/**
	 * Starts {@code service} (rng, hasher, worker or webui) as {@code name} on a free
	 * port, led to the Redis of {@link #startRedis}, and waits until it is ready.
	 */
	Service start(String name, String service, Map<String, String> settings) throws IOException {
		return startAll(List.of(name), service, settings).get(0);
	}

	/**
	 * Starts several instances of {@code service} at once, and waits until all are ready.
	 */
	List<Service> startAll(List<String> names, String service, Map<String, String> settings) throws IOException {
		List<Service> started = new ArrayList<>();
		for (String name : names) {
			started.add(launch(name, service, settings));
		}
		started.forEach((each) -> each.awaitHealth("readiness"));
		return started;
	}

	/**
	 * Starts {@code service} and waits only until it is live: it cannot be ready without
	 * what it needs.
	 */
	Service startUnready(String name, String service, Map<String, String> settings) throws IOException {
		Service started = launch(name, service, settings);
		started.awaitHealth("liveness");
		return started;
	}

	private Service launch(String name, String service, Map<String, String> settings) throws IOException {
		int port = FreePorts.one();
		Map<String, String> environment = new HashMap<>(Map.of("SERVER_ADDRESS", "127.0.0.1", "SERVER_PORT",
				String.valueOf(port), "SPRING_DATA_REDIS_HOST", "127.0.0.1", "SPRING_DATA_REDIS_PORT",
				String.valueOf(this.redisPort), "DOCKERCOINS_HOSTNAME", name));
		environment.putAll(settings);
		List<String> command = ServiceLayout.javaCommand(service);
		return start(new Service(this, name, service, port, command, environment));
	}

	/** The {@code hashes} counter, read from Redis itself. */
	long hashes() {
		if (this.redis == null) {
			this.redisClient = RedisClient
				.create(RedisURI.builder().withHost("127.0.0.1").withPort(this.redisPort).build());
			this.redis = this.redisClient.connect();
		}
		String hashes = this.redis.sync().get("hashes");
		return (hashes != null) ? Long.parseLong(hashes) : 0;
	}

	HttpResponse<String> get(Service service, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port + path))
			.timeout(Duration.ofSeconds(5))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		if (this.redis != null) {
			this.redis.close();
			this.redisClient.shutdown();
		}
		// The workers first, so that nothing logs errors about the others going away.
		this.started.stream().filter((service) -> service.service.equals("worker")).forEach(Service::stop);
		this.started.forEach(Service::stop);
		this.http.close();
	}

	private Service start(Service service) throws IOException {
		// A service runs in its directory, as in its image; Redis anywhere.
		Path directory = service.service.equals("redis") ? null : JARS.resolve(service.service);
		service.process = ServiceProcess.start(service.name, directory, service.command, service.environment,
				this.output);
		this.started.add(service);
		return service;
	}

	/** One process, which can be stopped and started again on the same port. */
	static final class Service {

		private final LocalServices services;

		final String name;

		final String service;

		final int port;

		private final List<String> command;

		private final Map<String, String> environment;

		private ServiceProcess process;

		private Service(LocalServices services, String name, String service, int port, List<String> command,
				Map<String, String> environment) {
			this.services = services;
			this.name = name;
			this.service = service;
			this.port = port;
			this.command = command;
			this.environment = environment;
		}

		/**
		 * Stops the process with SIGTERM, and kills it if it is still there after 20s.
		 */
		void stop() {
			this.process.stop(Duration.ofSeconds(20));
		}

		void kill() {
			this.process.handle().destroyForcibly();
			await().until(() -> !this.process.handle().isAlive());
		}

		/**
		 * Starts it again, on the same port, with {@code settings} changed; waits until
		 * it is live.
		 */
		Service restart(Map<String, String> settings) throws IOException {
			Map<String, String> environment = new HashMap<>(this.environment);
			environment.putAll(settings);
			Service again = new Service(this.services, this.name, this.service, this.port, this.command, environment);
			this.services.start(again);
			if (!this.service.equals("redis")) {
				again.awaitHealth("readiness");
			}
			return again;
		}

		/** Its base URL, as the worker is given it. */
		String url() {
			return "http://127.0.0.1:" + this.port;
		}

		boolean isAlive() {
			return this.process.handle().isAlive();
		}

		long pid() {
			return this.process.handle().pid();
		}

		/** This process's lines, without the name in front. */
		List<String> output() {
			String prefix = String.format("%-8s | ", this.name);
			return this.services.output.lines.stream()
				.filter((line) -> line.startsWith(prefix))
				.map((line) -> line.substring(prefix.length()))
				.toList();
		}

		boolean outputContains(String text) {
			return output().stream().anyMatch((line) -> line.contains(text));
		}

		/** A stopped worker's count of the loops it did, from its last line. */
		long unitsOfWorkDone() {
			await().atMost(Duration.ofSeconds(30)).until(() -> !isAlive());
			List<Long> counts = output().stream()
				.map(STOPPED::matcher)
				.filter(Matcher::find)
				.map((matcher) -> Long.parseLong(matcher.group(1)))
				.toList();
			assertThat(counts).as("the last line of %s", this.name).hasSize(1);
			return counts.get(0);
		}

		/** The rise of this worker's own count of hashes. */
		double hashesMined() throws IOException, InterruptedException {
			Matcher matcher = Pattern.compile("(?m)^dockercoins_hashes_total\\{[^}]*} (\\S+)$")
				.matcher(this.services.get(this, "/actuator/prometheus").body());
			assertThat(matcher.find()).isTrue();
			return Double.parseDouble(matcher.group(1));
		}

		/** Waits until the health group {@code group} says UP. */
		private void awaitHealth(String group) {
			await().atMost(Duration.ofMinutes(2)).until(() -> {
				assertThat(isAlive()).as("%s is running", this.name).isTrue();
				try {
					return this.services.get(this, "/actuator/health/" + group).statusCode() == 200;
				}
				catch (IOException ex) {
					return false;
				}
			});
		}

	}

	/** Echoes the services' lines to the test's output, and keeps them. */
	private static final class Output extends PrintStream {

		private final List<String> lines = new CopyOnWriteArrayList<>();

		Output() {
			super(System.out, true, StandardCharsets.UTF_8);
		}

		@Override
		public void println(String line) {
			this.lines.add(line);
			super.println(line);
		}

	}

}

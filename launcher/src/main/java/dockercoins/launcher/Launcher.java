package dockercoins.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import redis.embedded.core.ExecutableProvider;

/**
 * Starts the whole stack on this machine without Docker: a Redis server and the four
 * services as separate JVMs on 127.0.0.1, and stops them all on Ctrl-C or SIGTERM.
 */
public final class Launcher {

	/**
	 * The start of the line the launcher prints once every service answers its health
	 * check; the tools that start it wait for this line.
	 */
	public static final String RUNNING = "DockerCoins is running";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration STOP_GRACE = Duration.ofSeconds(10);

	private static final String LOOPBACK = "127.0.0.1";

	/** Where the services lie in the launcher's jar. */
	private static final String SERVICES_IN_JAR = "BOOT-INF/classes/services/";

	private static final String JAR = "launcher/target/dockercoins-launcher.jar";

	private final LaunchOptions options;

	private final PrintStream out;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	/** The processes started so far, by stage, in the order they are to be stopped. */
	private final List<ServiceProcess> redis = new ArrayList<>();

	private final List<ServiceProcess> servers = new ArrayList<>();

	private final List<ServiceProcess> workers = new ArrayList<>();

	private Path jars;

	private boolean stopping;

	Launcher(LaunchOptions options, PrintStream out) {
		this.options = options;
		this.out = out;
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		// This class is compiled for Java 17 (the oldest JDK a Spring Boot jar starts on)
		// so that it can say so.
		if (Runtime.version().feature() < 25) {
			System.err.println("DockerCoins needs a JDK 25 or newer, the JDK of its images; this is Java "
					+ Runtime.version() + " (" + System.getProperty("java.home") + "). Point JAVA_HOME at a JDK 25 "
					+ "and start the launcher with it: \"$JAVA_HOME/bin/java\" -jar " + JAR);
			System.exit(1);
		}
		LaunchOptions options;
		try {
			options = LaunchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(LaunchOptions.USAGE);
			System.exit(2);
			return;
		}
		if (options.help()) {
			System.out.print(LaunchOptions.USAGE);
			return;
		}
		Launcher launcher = new Launcher(options, System.out);
		Runtime.getRuntime().addShutdownHook(new Thread(launcher::stop, "launcher-stop"));
		try {
			launcher.start();
		}
		catch (Exception ex) {
			launcher.say(ex.getMessage());
			System.exit(1);
		}
		// Run until Ctrl-C or SIGTERM, which run the shutdown hook.
		Thread.currentThread().join();
	}

	void start() throws IOException, InterruptedException {
		checkPortsAreFree();
		this.jars = extractServices();
		Map<String, String> redisSettings = startRedis();
		// The worker starts once rng and hasher answer, so that its first loops do not
		// fail.
		Map<ServiceProcess, Integer> pending = new LinkedHashMap<>();
		List<String> rngUrls = new ArrayList<>();
		for (int i = 1; i <= this.options.rngInstances(); i++) {
			int port = this.options.rngPort(i);
			pending.put(startService("rng-" + i, "rng", port, Map.of()), port);
			rngUrls.add("http://" + LOOPBACK + ":" + port);
		}
		pending.put(startService("hasher", "hasher", this.options.hasherPort(), Map.of()), this.options.hasherPort());
		ServiceProcess webui = startService("webui", "webui", this.options.webuiPort(), redisSettings);
		awaitHealthy(pending);
		pending.put(webui, this.options.webuiPort());
		Map<String, String> workerSettings = new HashMap<>(redisSettings);
		workerSettings.put("WORKER_LOOPS", String.valueOf(this.options.workers()));
		workerSettings.put("WORKER_RNG_URL", String.join(",", rngUrls));
		workerSettings.put("WORKER_HASHER_URL", "http://" + LOOPBACK + ":" + this.options.hasherPort());
		pending.put(startService("worker", "worker", this.options.workerPort(), workerSettings),
				this.options.workerPort());
		awaitHealthy(pending);
		say(RUNNING + ": open http://localhost:" + this.options.webuiPort() + "/ (rng on " + String.join(", ", rngUrls)
				+ ", hasher on port " + this.options.hasherPort() + "). Press Ctrl-C to stop everything.");
	}

	/**
	 * Stops the workers first (they report their last count), then the servers, then
	 * Redis.
	 */
	synchronized void stop() {
		this.stopping = true;
		if (this.redis.isEmpty() && this.servers.isEmpty() && this.workers.isEmpty()) {
			return;
		}
		say("Stopping...");
		for (List<ServiceProcess> stage : List.of(this.workers, this.servers, this.redis)) {
			List<Thread> stopping = stage.stream()
				.map((process) -> new Thread(() -> process.stop(STOP_GRACE)))
				.toList();
			stopping.forEach(Thread::start);
			stopping.forEach(Launcher::joinQuietly);
			stage.clear();
		}
		deleteJars();
		say("Stopped.");
	}

	private synchronized boolean isStopping() {
		return this.stopping;
	}

	private void checkPortsAreFree() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		if (this.options.redisUrl() == null) {
			ports.put("redis", this.options.redisPort());
		}
		ports.put("webui", this.options.webuiPort());
		IntStream.rangeClosed(1, this.options.rngInstances())
			.forEach((i) -> ports.put("rng-" + i, this.options.rngPort(i)));
		ports.put("hasher", this.options.hasherPort());
		ports.put("worker", this.options.workerPort());
		ports.forEach((name, port) -> {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
				// Free.
			}
			catch (IOException ex) {
				String option = name.equals("redis") ? "--redis-port (or use --redis-url)" : "--port";
				throw new IllegalStateException("Port " + port + " (" + name
						+ ") is already in use: stop what uses it, or choose other ports with " + option + ".");
			}
		});
	}

	/**
	 * Copies the services out of the launcher's jar, laid out as in their images: each in
	 * a directory of its own, its jar beside its libraries ({@code lib/}), its JVM flags
	 * ({@code jvm.options}) and its AOT cache ({@code <service>.aot}, made when the
	 * launcher was built).
	 */
	private Path extractServices() throws IOException, InterruptedException {
		Path self = Path.of(System.getProperty("java.class.path"));
		if (!Files.isRegularFile(self)) {
			throw new IllegalStateException("Start the launcher from its jar: java -jar " + JAR);
		}
		Path directory = Files.createTempDirectory("dockercoins-");
		// A thread a service: most of the time goes to inflating their AOT caches.
		ExecutorService threads = Executors.newFixedThreadPool(ServiceLayout.SERVICES.size());
		try {
			List<Callable<Void>> extractions = ServiceLayout.SERVICES.stream().map((service) -> (Callable<Void>) () -> {
				extract(self, service, directory.resolve(service));
				return null;
			}).toList();
			for (Future<Void> extraction : threads.invokeAll(extractions)) {
				extraction.get();
			}
		}
		catch (ExecutionException ex) {
			throw new IOException("Could not copy the services out of " + self, ex.getCause());
		}
		finally {
			threads.shutdown();
		}
		return directory;
	}

	private static void extract(Path launcherJar, String service, Path target) throws IOException {
		String prefix = SERVICES_IN_JAR + service + "/";
		try (JarFile jar = new JarFile(launcherJar.toFile())) {
			for (JarEntry entry : Collections.list(jar.entries())) {
				if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
					continue;
				}
				Path file = target.resolve(entry.getName().substring(prefix.length()));
				Files.createDirectories(file.getParent());
				try (InputStream content = jar.getInputStream(entry)) {
					Files.copy(content, file);
				}
				// An AOT cache is used only with the very jars it was made with, by size
				// and date.
				Files.setLastModifiedTime(file, entry.getLastModifiedTime());
			}
		}
	}

	/**
	 * Starts Redis (or checks the one given) and answers the settings that lead the
	 * services to it.
	 */
	private Map<String, String> startRedis() throws IOException, InterruptedException {
		URI url = this.options.redisUrl();
		if (url != null) {
			int port = (url.getPort() != -1) ? url.getPort() : 6379;
			if (!redisAnswers(url.getHost(), port)) {
				throw new IllegalStateException("No Redis answers at " + url.getHost() + ":" + port);
			}
			return Map.of("SPRING_DATA_REDIS_URL", url.toString());
		}
		ServiceProcess process = launch(this.redis, "redis", null, redisCommand(this.options.redisPort()), Map.of());
		process.awaitReady(() -> redisAnswers(LOOPBACK, this.options.redisPort()), START_TIMEOUT);
		return Map.of("SPRING_DATA_REDIS_HOST", LOOPBACK, "SPRING_DATA_REDIS_PORT",
				String.valueOf(this.options.redisPort()));
	}

	private ServiceProcess startService(String name, String service, int port, Map<String, String> settings)
			throws IOException {
		Map<String, String> environment = new HashMap<>(this.options.environment());
		environment.putAll(settings);
		environment.put("SERVER_ADDRESS", LOOPBACK);
		// Each process goes by its own name (rng-1, rng-2...) in its banner, its answers'
		// DockerCoins-Instance header and the fleet view, as a container by its ID: the
		// machine's host name would not tell the replicas apart.
		environment.putIfAbsent("DOCKERCOINS_HOSTNAME", name);
		environment.put("SERVER_PORT", String.valueOf(port));
		return launch(service.equals("worker") ? this.workers : this.servers, name, this.jars.resolve(service),
				ServiceLayout.javaCommand(service), environment);
	}

	/** The embedded redis-server on loopback, keeping nothing on disk. */
	static List<String> redisCommand(int port) throws IOException {
		String binary = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
		return List.of(binary, "--port", String.valueOf(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no");
	}

	private synchronized ServiceProcess launch(List<ServiceProcess> stage, String name, Path directory,
			List<String> command, Map<String, String> environment) throws IOException {
		if (this.stopping) {
			throw new IllegalStateException("Stopped before " + name + " started.");
		}
		ServiceProcess process = ServiceProcess.start(name, directory, command, environment, this.out);
		stage.add(process);
		process.exitCode().thenAccept((code) -> {
			if (!isStopping()) {
				say(name + " exited with code " + code + "; the others keep running.");
			}
		});
		return process;
	}

	/**
	 * Waits until each process answers its health check on its port, and forgets them.
	 */
	private void awaitHealthy(Map<ServiceProcess, Integer> pending) throws InterruptedException {
		for (Map.Entry<ServiceProcess, Integer> service : pending.entrySet()) {
			awaitHealthy(service.getKey(), service.getValue());
		}
		pending.clear();
	}

	private void awaitHealthy(ServiceProcess process, int port) throws InterruptedException {
		HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		process.awaitReady(() -> {
			try {
				return this.http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}, START_TIMEOUT);
	}

	/**
	 * Whether anything answers a PING: a password-protected Redis answers too, with an
	 * error.
	 */
	private static boolean redisAnswers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine() != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void deleteJars() {
		if (this.jars == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(this.jars)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			say("Could not delete " + this.jars + ": " + ex.getMessage());
		}
	}

	private void say(String message) {
		this.out.println(String.format("%-8s | ", "launcher") + message);
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

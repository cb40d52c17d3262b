package dockercoins.containers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log of every container of a Swarm service on some Docker engines, followed from the
 * container's start to its end: a worker's last line, {@code Worker stopped: <n> units
 * of work done in all}, stays here after Swarm has removed its container (the container
 * of a task scaled away goes at once).
 */
final class WorkerLogs implements AutoCloseable {

	private static final Pattern STOPPED = Pattern.compile("Worker stopped: (\\d+) units of work done in all");

	private final List<Process> processes = new CopyOnWriteArrayList<>();

	/** Each container's log, by engine and container ID. */
	private final Map<String, Map<String, Log>> logs = new ConcurrentHashMap<>();

	/**
	 * Follows the containers of {@code service} that start from now on, on each engine
	 * ({@code host} for {@code docker -H}) by name.
	 */
	WorkerLogs(String service, Map<String, String> engines) {
		// From this second on, also what happened before docker events had connected.
		String since = Long.toString(System.currentTimeMillis() / 1000);
		engines.forEach((name, host) -> {
			Map<String, Log> onEngine = this.logs.computeIfAbsent(name, (key) -> new ConcurrentHashMap<>());
			Process events = start(false, "docker", "-H", host, "events", "--since", since, "--filter",
					"type=container", "--filter", "event=start", "--filter",
					"label=com.docker.swarm.service.name=" + service, "--format", "{{.ID}}");
			Thread.ofVirtual().start(() -> lines(events.getInputStream(), (id) -> {
				Log log = new Log(start(true, "docker", "-H", host, "logs", "--follow", id));
				onEngine.put(id, log);
				Thread.ofVirtual().start(() -> lines(log.process().getInputStream(), log.lines()::add));
			}));
		});
	}

	/** The IDs of the containers followed on an engine. */
	List<String> containers(String engine) {
		return List.copyOf(this.logs.getOrDefault(engine, Map.of()).keySet());
	}

	/**
	 * A container's count of the loops it did, from its last line, once it has stopped.
	 */
	long unitsOfWorkDone(String engine, String container) {
		Log log = this.logs.get(engine).get(container);
		await().atMost(Duration.ofSeconds(30)).until(() -> !log.process().isAlive());
		List<Long> counts = log.lines()
			.stream()
			.map(STOPPED::matcher)
			.filter(Matcher::find)
			.map((matcher) -> Long.parseLong(matcher.group(1)))
			.toList();
		assertThat(counts).as("the last line of %s on %s", container, engine).hasSize(1);
		return counts.getFirst();
	}

	/** The sum of the counts of every container followed, once they have all stopped. */
	long unitsOfWorkDone() {
		long sum = 0;
		for (String engine : this.logs.keySet()) {
			for (String container : containers(engine)) {
				sum += unitsOfWorkDone(engine, container);
			}
		}
		return sum;
	}

	/** How many containers were followed, on every engine. */
	int size() {
		return this.logs.values().stream().mapToInt(Map::size).sum();
	}

	@Override
	public void close() {
		this.processes.forEach(Process::destroy);
	}

	/** Starts a command; its errors go with its output or nowhere. */
	private Process start(boolean errors, String... command) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command);
			if (errors) {
				builder.redirectErrorStream(true);
			}
			else {
				builder.redirectError(ProcessBuilder.Redirect.DISCARD);
			}
			Process process = builder.start();
			this.processes.add(process);
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void lines(InputStream input, Consumer<String> each) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
			reader.lines().forEach(each);
		}
		catch (IOException | UncheckedIOException ex) {
			// The process was stopped.
		}
	}

	private record Log(Process process, List<String> lines) {

		Log(Process process) {
			this(process, new CopyOnWriteArrayList<>());
		}

	}

}

package dockercoins.launcher;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's command line, and the ports it gives each service: bench reads both from
 * here.
 *
 * @param workers mining loops in the worker process
 * @param rngInstances rng processes; the worker spreads its requests over all of them
 * @param port the web UI's port; the other services use the ports after it
 * @param redisPort port of the Redis server the launcher starts
 * @param redisUrl an existing Redis server to use instead, or null
 * @param environment variables given to every service process
 * @param help whether only the usage was asked for
 */
public record LaunchOptions(int workers, int rngInstances, int port, int redisPort, URI redisUrl,
		Map<String, String> environment, boolean help) {

	static final String USAGE = """
			Usage: java -jar dockercoins-launcher.jar [options]
			  --workers N        mining loops in the worker, each like one original worker (default 1)
			  --rng N            rng instances; the worker spreads its requests over them (default 1)
			  --port P           web UI port (default 8000); rng-1 listens on P+1, hasher on P+2,
			                     the worker on P+3, rng-2 and further on P+4 and up
			  --redis-port P     port of the Redis server the launcher starts (default 6379)
			  --redis-url URL    use this Redis server instead of starting one,
			                     e.g. redis://localhost:6380 or redis://:password@host:6379
			  --env KEY=VALUE    an environment variable for every service (repeatable),
			                     e.g. --env WORKER_SLEEP=10ms --env RNG_LATENCY=50ms
			  --help             show this text
			""";

	/**
	 * The highest web UI port: the other services and up to 100 rng use the ports after
	 * it.
	 */
	private static final int HIGHEST_PORT = 65_535 - 3 - 100;

	/** Set by the launcher itself: an --env that changed them would break the wiring. */
	private static final Set<String> MANAGED_VARIABLES = Set.of("SERVER_PORT", "SERVER_ADDRESS", "WORKER_LOOPS",
			"WORKER_RNG_URL", "WORKER_HASHER_URL", "SPRING_DATA_REDIS_URL", "SPRING_DATA_REDIS_HOST",
			"SPRING_DATA_REDIS_PORT");

	public static LaunchOptions parse(String... args) {
		int workers = 1;
		int rngInstances = 1;
		int port = 8000;
		int redisPort = 6379;
		URI redisUrl = null;
		boolean redisPortGiven = false;
		Map<String, String> environment = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (option.equals("--help") || option.equals("-h")) {
				return new LaunchOptions(workers, rngInstances, port, redisPort, null, Map.of(), true);
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Unknown option or missing value: " + option);
			}
			String value = args[++i];
			switch (option) {
				case "--workers" -> workers = number(option, value, 1, 10_000);
				case "--rng" -> rngInstances = number(option, value, 1, 100);
				case "--port" -> port = number(option, value, 1, HIGHEST_PORT);
				case "--redis-port" -> {
					redisPort = number(option, value, 1, 65_535);
					redisPortGiven = true;
				}
				case "--redis-url" -> redisUrl = redisUrl(value);
				case "--env" -> addVariable(environment, value);
				default -> throw new IllegalArgumentException("Unknown option: " + option);
			}
		}
		if (redisUrl != null && redisPortGiven) {
			throw new IllegalArgumentException("--redis-port is for the Redis the launcher starts; "
					+ "give the port of an existing one in --redis-url");
		}
		return new LaunchOptions(workers, rngInstances, port, redisPort, redisUrl, Map.copyOf(environment), false);
	}

	public int webuiPort() {
		return this.port;
	}

	public int hasherPort() {
		return this.port + 2;
	}

	public int workerPort() {
		return this.port + 3;
	}

	/** The port of rng instance {@code index}, counted from 1. */
	public int rngPort(int index) {
		return (index == 1) ? this.port + 1 : this.port + 2 + index;
	}

	private static int number(String option, String value, int min, int max) {
		try {
			int number = Integer.parseInt(value);
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below with the accepted range.
		}
		throw new IllegalArgumentException(
				option + " takes a whole number from " + min + " to " + max + ", not '" + value + "'");
	}

	private static URI redisUrl(String value) {
		try {
			URI url = new URI(value);
			if (("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme())) && url.getHost() != null) {
				return url;
			}
		}
		catch (java.net.URISyntaxException ex) {
			// Reported below with an example.
		}
		throw new IllegalArgumentException("--redis-url takes a URL like redis://host:6379, not '" + value + "'");
	}

	private static void addVariable(Map<String, String> environment, String assignment) {
		int equals = assignment.indexOf('=');
		if (equals < 1) {
			throw new IllegalArgumentException("--env takes KEY=VALUE, not '" + assignment + "'");
		}
		String key = assignment.substring(0, equals);
		if (MANAGED_VARIABLES.contains(key)) {
			throw new IllegalArgumentException(key + " is set by the launcher; use its options instead (see --help)");
		}
		environment.put(key, assignment.substring(equals + 1));
	}

}

package dockercoins.worker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The original worker's {@code DEBUG} variable: a value starting with {@code y} turns on
 * the worker's own debug lines ("Doing one unit of work", "No coin found"), as
 * worker.py's does. Spring Boot would read {@code DEBUG} as its own debug mode (the
 * condition report, its core loggers at debug level): only {@code --debug} turns that on
 * here.
 */
class DebugVariable implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		PropertySource<?> variables = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		Object debug = (variables != null) ? variables.getProperty("DEBUG") : null;
		if (debug == null) {
			return;
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("debug", "false");
		if (debug.toString().toLowerCase(Locale.ROOT).startsWith("y")) {
			settings.put("logging.level.dockercoins.worker", "debug");
		}
		// Above the environment variables, below the command line and system properties.
		environment.getPropertySources()
			.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource("DEBUG", settings));
	}

}

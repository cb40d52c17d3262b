package dockercoins.testsupport;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A service's settings as a deployment gives them, in environment variables, bound to its
 * properties record alone: the test of each documented variable's spelling.
 */
public final class Settings {

	private Settings() {
	}

	/**
	 * A context that binds {@code environment} as the process's environment variables.
	 */
	public static ApplicationContextRunner contextWith(Map<String, Object> environment) {
		return new ApplicationContextRunner()
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("environment", environment)))
			.withUserConfiguration(PropertiesOnly.class);
	}

	/**
	 * The {@code @ConfigurationProperties} records of the service under test, and nothing
	 * else.
	 */
	@ConfigurationPropertiesScan("dockercoins")
	static class PropertiesOnly {

	}

}

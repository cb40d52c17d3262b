package dockercoins.hasher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Works out who this process is: offers the host name as {@code dockercoins.hostname}
 * (for the banner, metrics and info) and logs it with the version at start-up. Shells
 * rarely export {@code HOSTNAME}, so it is looked up when the variable is missing.
 */
class ServiceIdentity implements EnvironmentPostProcessor {

	private final Log logger;

	ServiceIdentity(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ServiceIdentity.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource("hostname", Map.of("dockercoins.hostname", hostname())));
		this.logger.info(environment.resolvePlaceholders(
				"${spring.application.name} version ${dockercoins.version} on host ${dockercoins.hostname}"));
	}

	private static String hostname() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}

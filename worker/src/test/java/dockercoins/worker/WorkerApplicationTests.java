package dockercoins.worker;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static dockercoins.testsupport.Settings.contextWith;
import static org.assertj.core.api.Assertions.assertThat;

class WorkerApplicationTests {

	@Test
	void bindsTheDocumentedEnvironmentVariables() {
		Map<String, Object> environment = Map.of("WORKER_SLEEP", "10ms", "WORKER_RNG_URL", "http://rng1,http://rng2",
				"WORKER_HASHER_URL", "http://hasher:8080", "WORKER_REPORT_INTERVAL", "2s", "WORKER_RETRY_DELAY", "1s",
				"WORKER_LOOPS", "10", "WORKER_FLEET_INTERVAL", "500ms");
		contextWith(environment)
			.run((context) -> assertThat(context.getBean(WorkerProperties.class)).isEqualTo(new WorkerProperties(
					Duration.ofMillis(10), List.of(URI.create("http://rng1"), URI.create("http://rng2")),
					List.of(URI.create("http://hasher:8080")), Duration.ofSeconds(2), Duration.ofSeconds(1), 10,
					Duration.ofMillis(500))));
	}

	@Test
	void defaultsToTheOriginalTimings() {
		contextWith(Map.of()).run((context) -> assertThat(context.getBean(WorkerProperties.class))
			.isEqualTo(new WorkerProperties(Duration.ofMillis(100), List.of(URI.create("http://localhost:8001")),
					List.of(URI.create("http://localhost:8002")), Duration.ofSeconds(1), Duration.ofSeconds(10), 1,
					Duration.ofSeconds(1))));
	}

	@Test
	void rejectsZeroLoops() {
		contextWith(Map.of("WORKER_LOOPS", "0"))
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("loops"));
	}

	@Test
	void rejectsAFleetIntervalOverTwoSeconds() {
		// The rate is averaged over 5 s: it needs two records within them.
		contextWith(Map.of("WORKER_FLEET_INTERVAL", "3s")).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("fleetInterval"));
	}

	@ParameterizedTest
	@CsvSource({ "y, true", "yes, true", "Y, true", "no, false", "'', false" })
	void debugGivesTheWorkersDebugLinesNotSpringBootsDebugMode(String debug, boolean workerLines) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("DEBUG", debug)));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
			.environment(environment)
			.web(WebApplicationType.NONE)
			.run()) {
			assertThat(LoggerFactory.getLogger(MiningLoop.class).isDebugEnabled()).isEqualTo(workerLines);
			assertThat(LoggerFactory.getLogger("org.springframework.boot").isDebugEnabled()).isFalse();
		}
	}

	@Test
	void writesDurationsAsTheOriginalDoes() {
		assertThat(WorkerProperties.format(Duration.ofSeconds(10))).isEqualTo("10s");
		assertThat(WorkerProperties.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

	/** An application of nothing: the environment and the logging alone. */
	@Configuration(proxyBeanMethods = false)
	static class Nothing {

	}

}

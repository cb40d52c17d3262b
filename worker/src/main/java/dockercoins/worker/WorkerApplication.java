package dockercoins.worker;

import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.TimeValue;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The worker service: mining loops that call rng and hasher and keep their results in
 * Redis.
 */
@SpringBootApplication
@EnableConfigurationProperties(WorkerProperties.class)
@EnableScheduling
public class WorkerApplication {

	@Bean
	ClientHttpRequestFactoryBuilder<?> clientHttpRequestFactoryBuilder(WorkerProperties properties) {
		int routes = properties.rngUrl().size() + properties.hasherUrl().size();
		return ClientHttpRequestFactoryBuilder.httpComponents()
			// Short-lived connections let rng and hasher replicas added behind a
			// Swarm VIP get their share of the traffic within seconds.
			.withConnectionConfigCustomizer((config) -> config.setTimeToLive(TimeValue.ofSeconds(1)))
			// A loop has one request in flight at most: the pool must never make loops
			// queue.
			.withConnectionManagerCustomizer((manager) -> manager.setMaxConnPerRoute(properties.loops())
				.setMaxConnTotal(properties.loops() * routes))
			// Failures follow the original worker's policy (log, wait, restart), not
			// silent retries.
			.withHttpClientCustomizer(HttpClientBuilder::disableAutomaticRetries);
	}

	public static void main(String[] args) {
		SpringApplication.run(WorkerApplication.class, args);
	}

}

package dockercoins.worker;

import java.security.Security;

import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.util.TimeValue;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.context.annotation.Bean;

/**
 * The worker service: mining loops that call rng and hasher and keep their results in
 * Redis.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerApplication {

	/**
	 * Replicas of rng and hasher together that the connection pool keeps connections to.
	 */
	private static final int MAX_REPLICAS = 100;

	/** Connections to replicas that are gone: closed after this long unused. */
	private static final TimeValue IDLE = TimeValue.ofSeconds(5);

	@Bean
	ClientHttpRequestFactoryBuilder<?> clientHttpRequestFactoryBuilder(WorkerProperties properties) {
		return ClientHttpRequestFactoryBuilder.httpComponents()
			// Short-lived connections let rng and hasher replicas added behind a Swarm
			// VIP get their share of the traffic within seconds.
			.withConnectionConfigCustomizer((config) -> config.setTimeToLive(TimeValue.ofSeconds(1)))
			// A loop has one request in flight at most: the pool must never make loops
			// queue. Each replica is a route of its own (see Replicas).
			.withConnectionManagerCustomizer((manager) -> manager.setMaxConnPerRoute(properties.loops())
				.setMaxConnTotal(properties.loops() * MAX_REPLICAS))
			// Failures follow the original worker's policy (log, wait, restart), not
			// silent retries.
			.withHttpClientCustomizer(
					(client) -> client.disableAutomaticRetries().evictExpiredConnections().evictIdleConnections(IDLE))
			// TLS set up on the first https connection, if any, rather than at start-up:
			// the JDK's default SSL context (its trust store read) is a start's largest
			// part of our own, and rng and hasher are plain http.
			.withTlsSocketStrategyFactory(
					(bundle) -> (socket, target, port, attachment, context) -> DefaultClientTlsStrategy
						.createSystemDefault()
						.upgrade(socket, target, port, attachment, context));
	}

	public static void main(String[] args) {
		// Replicas looks host names up again every second: the JVM must not keep the
		// answers (30 s by default), nor the failures (10 s).
		Security.setProperty("networkaddress.cache.ttl", "0");
		Security.setProperty("networkaddress.cache.negative.ttl", "0");
		SpringApplication.run(WorkerApplication.class, args);
	}

}

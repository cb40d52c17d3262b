package dockercoins.testsupport;

import java.io.IOException;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import redis.embedded.RedisServer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A real Redis server for a test's application context, of its own and stopped with it,
 * connected through Spring Boot's service connections: a container of {@code redis:8},
 * the stacks' own Redis, where a Docker engine runs (Testcontainers); else a
 * {@code redis-server} 6.2 of embedded-redis on loopback. Add it with
 * {@code @Import(TestRedis.class)}, or start it alone with {@link #serverOnly()}.
 */
@TestConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration(ServiceConnectionAutoConfiguration.class)
public class TestRedis {

	/**
	 * A context that holds Redis alone: the parent of the applications a test starts and
	 * stops, which then share that server and leave it running.
	 */
	public static ConfigurableApplicationContext serverOnly() {
		return new SpringApplicationBuilder(TestRedis.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run();
	}

	@Bean
	@ServiceConnection
	@Conditional(DockerEngine.class)
	RedisContainer redisContainer() {
		return new RedisContainer(DockerImageName.parse("redis:8"));
	}

	@Bean(destroyMethod = "stop")
	@Conditional(NoDockerEngine.class)
	RedisServer embeddedRedis() throws IOException {
		RedisServer server = embedded(FreePorts.one());
		server.start();
		return server;
	}

	@Bean
	@Conditional(NoDockerEngine.class)
	DataRedisConnectionDetails embeddedRedisConnection(RedisServer embeddedRedis) {
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", embeddedRedis.ports().get(0));
			}

		};
	}

	/** A {@code redis-server} on loopback that saves nothing, not yet started. */
	public static RedisServer embedded(int port) throws IOException {
		return RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"").build();
	}

	static class DockerEngine implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return DockerClientFactory.instance().isDockerAvailable();
		}

	}

	static class NoDockerEngine extends DockerEngine {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !super.matches(context, metadata);
		}

	}

}

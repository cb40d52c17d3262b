package dockercoins.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lettuce's defaults suit a Redis that is seldom away: reconnection attempts spread up to
 * 30 seconds apart, and commands held back while disconnected. Here Redis may be
 * restarted at any time, so the client tries again at least every second, and fails
 * commands at once while Redis is away: a held-back {@code INCRBY} that times out could
 * still be sent after the reconnection, and its count would then be reported twice.
 */
@Configuration(proxyBeanMethods = false)
class RedisReconnection {

	@Bean
	ClientResourcesBuilderCustomizer reconnectEverySecond() {
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

	@Bean
	LettuceClientOptionsBuilderCustomizer failCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

}

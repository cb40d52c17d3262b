package dockercoins.worker;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The miners' state in Redis, with the original's keys and encodings: the {@code hashes}
 * counter and the {@code wallet} hash of coins (hex hash to raw random bytes).
 */
@Component
class Wallet {

	private static final byte[] WALLET = "wallet".getBytes(StandardCharsets.US_ASCII);

	private final StringRedisTemplate redis;

	private final String address;

	Wallet(StringRedisTemplate redis, DataRedisConnectionDetails connection) {
		this.redis = redis;
		DataRedisConnectionDetails.Standalone standalone = connection.getStandalone();
		this.address = (standalone != null) ? standalone.getHost() + ":" + standalone.getPort() : "redis";
	}

	void addHashes(long count) {
		call(() -> this.redis.opsForValue().increment("hashes", count));
	}

	/** Stores a coin and says whether it is new. */
	boolean storeCoin(String hex, byte[] randomBytes) {
		return Boolean.TRUE
			.equals(call(() -> this.redis.execute((RedisCallback<Boolean>) (connection) -> connection.hashCommands()
				.hSet(WALLET, hex.getBytes(StandardCharsets.US_ASCII), randomBytes))));
	}

	private <T> T call(Supplier<T> command) {
		try {
			return command.get();
		}
		catch (DataAccessException ex) {
			throw new StepFailedException("redis", this.address, ex);
		}
	}

}

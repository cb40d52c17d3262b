package dockercoins.webui;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads what the workers write in Redis: the {@code hashes} counter and the
 * {@code wallet} of coins.
 */
@Component
class MiningStats {

	private final StringRedisTemplate redis;

	MiningStats(StringRedisTemplate redis) {
		this.redis = redis;
	}

	long coins() {
		return this.redis.opsForHash().size("wallet");
	}

	/** The hashes counted so far; 0 before the first count. */
	long hashes() {
		String hashes = this.redis.opsForValue().get("hashes");
		return (hashes != null) ? Long.parseLong(hashes) : 0;
	}

}

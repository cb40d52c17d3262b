package dockercoins.webui;

import java.math.BigDecimal;
import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webui wire contract: {@code /} leads to the page, {@code /json} gives the counters.
 */
@RestController
class StatsController {

	private static final Logger logger = LoggerFactory.getLogger(StatsController.class);

	private final MiningStats stats;

	private final Fleet fleet;

	StatsController(MiningStats stats, Fleet fleet) {
		this.stats = stats;
		this.fleet = fleet;
	}

	@GetMapping("/")
	ResponseEntity<Void> home() {
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/index.html")).build();
	}

	@GetMapping("/json")
	ResponseEntity<Stats> json() {
		// Seconds with a fraction, written out in full as the original does
		// (1795844838.611).
		BigDecimal now = BigDecimal.valueOf(System.currentTimeMillis(), 3);
		Stats stats = new Stats(this.stats.coins(), this.stats.hashes(), now);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(stats);
	}

	/**
	 * The fleet view: the running workers grouped by version, where their time goes, and
	 * the replicas that answer them.
	 */
	@GetMapping("/fleet.json")
	ResponseEntity<Fleet.View> fleet() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.fleet.view());
	}

	/** The page shows the detail and keeps polling. */
	@ExceptionHandler
	ProblemDetail redisUnavailable(DataAccessException ex) {
		logger.warn("Cannot read the counters from Redis: {}", ex.getMessage());
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Redis is unreachable: " + ex.getMessage());
	}

	/** The original webui's answer; {@code now} is in seconds since the epoch. */
	record Stats(long coins, long hashes, BigDecimal now) {
	}

}

package dockercoins.rng;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the rng service.
 *
 * @param latency delay before each answer to {@code GET /{n}}
 * @param concurrency how many requests are served at once; the others wait in a fair
 * queue; 0 means unlimited
 * @param maxWaiting how many requests may wait in the queue; more get 503 at once
 * @param maxBytes the largest {@code n} accepted
 */
@Validated
@ConfigurationProperties("rng")
record RngProperties(@DefaultValue("100ms") @DurationMin(millis = 0) Duration latency,
		@DefaultValue("1") @PositiveOrZero int concurrency, @DefaultValue("1048576") @Positive int maxBytes,
		@DefaultValue("1000") @Positive int maxWaiting) {
}

package dockercoins.hasher;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the hasher service.
 *
 * @param latency delay before each answer to {@code POST /}
 * @param concurrency how many requests are served at once; the others wait in a fair
 * queue; 0 means unlimited
 * @param maxWaiting how many requests may wait in the queue; more get 503 at once
 * @param maxBodySize the largest body accepted
 */
@Validated
@ConfigurationProperties("hasher")
record HasherProperties(@DefaultValue("100ms") @DurationMin(millis = 0) Duration latency,
		@DefaultValue("20") @PositiveOrZero int concurrency, @DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("1000") @Positive int maxWaiting) {
}

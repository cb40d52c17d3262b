package dockercoins.worker;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker service.
 *
 * @param sleep pause at the start of each loop
 * @param rngUrl base URLs of rng, used round-robin
 * @param hasherUrl base URLs of hasher, used round-robin
 * @param reportInterval how often each loop adds its count to {@code hashes}
 * @param retryDelay pause after a failed loop
 * @param loops how many independent mining loops this process runs
 */
@Validated
@ConfigurationProperties("worker")
record WorkerProperties(@DefaultValue("100ms") @DurationMin(millis = 0) Duration sleep,
		@DefaultValue("http://localhost:8001") @NotEmpty List<URI> rngUrl,
		@DefaultValue("http://localhost:8002") @NotEmpty List<URI> hasherUrl,
		@DefaultValue("1s") @DurationMin(millis = 1) Duration reportInterval,
		@DefaultValue("10s") @DurationMin(millis = 0) Duration retryDelay, @DefaultValue("1") @Positive int loops) {
}

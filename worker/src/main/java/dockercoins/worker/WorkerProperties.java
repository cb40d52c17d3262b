package dockercoins.worker;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMax;
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
 * @param fleetInterval how often the worker publishes its fleet record; at most 2s, so
 * that the rate, averaged over 5s, has two publications to go by
 */
@Validated
@ConfigurationProperties("worker")
record WorkerProperties(@DefaultValue("100ms") @DurationMin(millis = 0) Duration sleep,
		@DefaultValue("http://localhost:8001") @NotEmpty List<URI> rngUrl,
		@DefaultValue("http://localhost:8002") @NotEmpty List<URI> hasherUrl,
		@DefaultValue("1s") @DurationMin(millis = 1) Duration reportInterval,
		@DefaultValue("10s") @DurationMin(millis = 0) Duration retryDelay, @DefaultValue("1") @Positive int loops,
		@DefaultValue("1s") @DurationMin(millis = 1) @DurationMax(seconds = 2) Duration fleetInterval) {

	/**
	 * A duration as the original writes it ("10s") when it is whole seconds, otherwise in
	 * milliseconds.
	 */
	static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}

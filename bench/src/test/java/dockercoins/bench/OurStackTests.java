package dockercoins.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OurStackTests {

	@Test
	void namesEachServiceAfterItsJar() {
		assertThat(OurStack.service(process("/usr/lib/jvm/jdk/bin/java", "@/tmp/dockercoins-1/rng.jvm.options", "-jar",
				"/tmp/dockercoins-1/rng.jar")))
			.contains("rng");
		assertThat(OurStack.service(process("/usr/bin/java", "-jar", "/tmp/dockercoins-1/worker.jar")))
			.contains("worker");
	}

	@Test
	void recognisesRedis() {
		assertThat(OurStack.service(process("/tmp/redis-server-6.2.11-v5-linux-amd64", "--port", "18379")))
			.contains("redis");
	}

	@Test
	void leavesOtherProcessesOut() {
		assertThat(OurStack.service(process("/usr/bin/sh", "-c", "sleep 1"))).isEmpty();
		assertThat(OurStack.service(process("/usr/bin/java", "-jar"))).isEmpty();
	}

	private static ProcessHandle.Info process(String command, String... arguments) {
		return new ProcessHandle.Info() {

			@Override
			public Optional<String> command() {
				return Optional.of(command);
			}

			@Override
			public Optional<String> commandLine() {
				return Optional.of(command + " " + String.join(" ", arguments));
			}

			@Override
			public Optional<String[]> arguments() {
				return Optional.of(arguments);
			}

			@Override
			public Optional<Instant> startInstant() {
				return Optional.empty();
			}

			@Override
			public Optional<Duration> totalCpuDuration() {
				return Optional.empty();
			}

			@Override
			public Optional<String> user() {
				return Optional.empty();
			}

		};
	}

}

package dockercoins.launcher;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LaunchOptionsTests {

	@Test
	void defaultsToOneOfEachOnTheWorkshopPorts() {
		LaunchOptions options = LaunchOptions.parse();
		assertThat(options).isEqualTo(new LaunchOptions(1, 1, 8000, 6379, null, Map.of(), false));
		assertThat(options.webuiPort()).isEqualTo(8000);
		assertThat(options.rngPort(1)).isEqualTo(8001);
		assertThat(options.hasherPort()).isEqualTo(8002);
		assertThat(options.workerPort()).isEqualTo(8003);
	}

	@Test
	void readsEveryOption() {
		LaunchOptions options = LaunchOptions.parse("--workers", "10", "--rng", "5", "--port", "9000", "--redis-port",
				"6380", "--env", "WORKER_SLEEP=10ms", "--env", "RNG_LATENCY=50ms");
		assertThat(options).isEqualTo(new LaunchOptions(10, 5, 9000, 6380, null,
				Map.of("WORKER_SLEEP", "10ms", "RNG_LATENCY", "50ms"), false));
	}

	@Test
	void placesFurtherRngInstancesAfterTheWorker() {
		LaunchOptions options = LaunchOptions.parse("--rng", "3");
		assertThat(options.rngPort(2)).isEqualTo(8004);
		assertThat(options.rngPort(3)).isEqualTo(8005);
	}

	@Test
	void keepsTheEqualsSignsOfAValue() {
		assertThat(LaunchOptions.parse("--env", "JAVA_TOOL_OPTIONS=-Da=b").environment())
			.containsEntry("JAVA_TOOL_OPTIONS", "-Da=b");
	}

	@Test
	void acceptsAnExistingRedis() {
		assertThat(LaunchOptions.parse("--redis-url", "redis://:secret@cache:6380").redisUrl())
			.isEqualTo(URI.create("redis://:secret@cache:6380"));
	}

	@Test
	void asksForHelp() {
		assertThat(LaunchOptions.parse("--help").help()).isTrue();
	}

	@Test
	void rejectsUnknownOptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--wrokers", "2"))
			.withMessage("Unknown option: --wrokers");
	}

	@Test
	void rejectsAnOptionWithoutItsValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--workers"))
			.withMessageContaining("--workers");
	}

	@Test
	void rejectsCountsThatAreNotPositiveWholeNumbers() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--rng", "0"))
			.withMessage("--rng takes a whole number from 1 to 100, not '0'");
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--workers", "ten"))
			.withMessage("--workers takes a whole number from 1 to 10000, not 'ten'");
	}

	@Test
	void rejectsARedisUrlOfAnotherKind() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--redis-url", "localhost:6379"))
			.withMessageContaining("redis://host:6379");
	}

	@Test
	void rejectsARedisPortWithARedisUrl() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LaunchOptions.parse("--redis-url", "redis://localhost:6380", "--redis-port", "6380"))
			.withMessageContaining("--redis-url");
	}

	@Test
	void rejectsAnEnvironmentVariableWithoutAValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--env", "WORKER_SLEEP"))
			.withMessage("--env takes KEY=VALUE, not 'WORKER_SLEEP'");
	}

	@Test
	void rejectsVariablesThatTheLauncherSets() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse("--env", "SERVER_PORT=80"))
			.withMessageStartingWith("SERVER_PORT is set by the launcher");
	}

}

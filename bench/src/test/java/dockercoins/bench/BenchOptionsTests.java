package dockercoins.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsTests {

	@Test
	void measuresTheWholeGridByDefault() {
		BenchOptions options = BenchOptions.parse();
		assertThat(options.configs()).isEqualTo(BenchConfig.GRID);
		assertThat(options.configs()).extracting(BenchConfig::name)
			.containsExactly("w1", "w2", "w5", "w10", "w10-rng5", "w10-rng5-sleep10ms", "zero-w4", "zero-w16",
					"zero-w64");
		assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(20));
		assertThat(options.window()).isEqualTo(Duration.ofSeconds(15));
	}

	@Test
	void readsEveryOption() {
		BenchOptions options = BenchOptions.parse("--config", "w10", "--config", "zero", "--warmup", "5s", "--window",
				"30s", "--port", "18000", "--redis-port", "18379", "--csv", "out.csv", "--json", "out.json");
		assertThat(options.configs()).extracting(BenchConfig::name)
			.containsExactly("w10", "zero-w4", "zero-w16", "zero-w64");
		assertThat(options)
			.extracting(BenchOptions::warmup, BenchOptions::window, BenchOptions::port, BenchOptions::redisPort,
					BenchOptions::csv, BenchOptions::json)
			.containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30), 18000, 18379, Path.of("out.csv"),
					Path.of("out.json"));
	}

	@Test
	void readsSettingsAsAConfiguration() {
		BenchConfig config = BenchOptions.parse("--config", "workers=10,rng=5,WORKER_SLEEP=10ms").configs().getFirst();
		assertThat(config)
			.isEqualTo(new BenchConfig("workers=10,rng=5,WORKER_SLEEP=10ms", 10, 5, Map.of("WORKER_SLEEP", "10ms")));
	}

	@Test
	void readsZeroAsNoLatencies() {
		BenchConfig config = BenchConfig.parse("zero,workers=32").getFirst();
		assertThat(config.workers()).isEqualTo(32);
		assertThat(config.environment()).isEqualTo(BenchConfig.ZERO_LATENCY);
		assertThat(config.zeroLatency()).isTrue();
		assertThat(config.model()).isEmpty();
	}

	@Test
	void givesEachStackTheLaunchersOptions() {
		BenchOptions options = BenchOptions.parse("--port", "18000", "--redis-port", "18379");
		assertThat(options.launcherArguments(BenchConfig.parse("w10-rng5-sleep10ms").getFirst())).containsExactly(
				"--port", "18000", "--redis-port", "18379", "--workers", "10", "--rng", "5", "--env",
				"WORKER_SLEEP=10ms");
		assertThat(options.launcherArguments(BenchConfig.parse("zero-w4").getFirst())).containsSubsequence("--env",
				"HASHER_CONCURRENCY=0", "--env", "HASHER_LATENCY=0", "--env", "RNG_CONCURRENCY=0", "--env",
				"RNG_LATENCY=0", "--env", "WORKER_SLEEP=0");
	}

	@Test
	void runsTheLauncherJarBuiltHereAndLeavesTheOriginalOutByDefault() {
		BenchOptions options = BenchOptions.parse();
		assertThat(options.launcherJars()).containsExactly(Path.of("launcher/target/dockercoins-launcher.jar"));
		assertThat(options.original()).isFalse();
		assertThat(options.originalDirectory()).isEqualTo(Path.of("../shared/peers/container.training/dockercoins"));
	}

	@Test
	void readsTheOriginalsOptions() {
		BenchOptions options = BenchOptions.parse("--config", "w1", "--original", "--original-dir", "/opt/original",
				"--launcher-jar", "/opt/launcher.jar", "--window", "5s");
		assertThat(options)
			.extracting(BenchOptions::original, BenchOptions::originalDirectory, BenchOptions::launcherJar,
					BenchOptions::window)
			.containsExactly(true, Path.of("/opt/original"), Path.of("/opt/launcher.jar"), Duration.ofSeconds(5));
	}

	@Test
	void timesTheLaunchersStartUpsOnItsDefaultStack() {
		BenchOptions options = BenchOptions.parse("--start-up", "5", "--launcher-jar", "before.jar", "--launcher-jar",
				"after.jar");
		assertThat(options.startUps()).isEqualTo(5);
		assertThat(options.launcherJars()).containsExactly(Path.of("before.jar"), Path.of("after.jar"));
		assertThat(options.configs()).extracting(BenchConfig::name).containsExactly("w1");
		assertThat(options.launcherArguments(options.configs().getFirst())).containsExactly("--port", "8000",
				"--redis-port", "6379", "--workers", "1", "--rng", "1");
	}

	@Test
	void givesTheOriginalTheLaunchersPorts() {
		BenchOptions options = BenchOptions.parse("--port", "18000", "--redis-port", "18379");
		var stack = options.stack(BenchConfig.parse("w10-rng5").getFirst());
		assertThat(stack.redisPort()).isEqualTo(18379);
		assertThat(stack.hasherPort()).isEqualTo(18002);
		assertThat(stack.rngPort(1)).isEqualTo(18001);
		assertThat(stack.rngPort(5)).isEqualTo(18007);
		assertThat(stack.workers()).isEqualTo(10);
	}

	@Test
	void rejectsWhatItCannotMeasure() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--config", "w3"))
			.withMessageStartingWith("--config takes a row of the grid (w1, w2,");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--config", "workers=0"))
			.withMessage("--config workers=0: --workers takes a whole number from 1 to 10000, not '0'");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--config", "RNG_LATENCY=soon"))
			.withMessageStartingWith("--config RNG_LATENCY=soon: a latency, sleep or concurrency is not valid");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--config", "SERVER_PORT=81"))
			.withMessageStartingWith("--config SERVER_PORT=81: SERVER_PORT is set by the launcher");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--port", "65500"))
			.withMessage("--port takes a whole number from 1 to 65432, not '65500'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse("--launcher-jar", "a.jar", "--launcher-jar", "b.jar"))
			.withMessageStartingWith("Several --launcher-jar are for comparing start-ups");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--start-up", "0"))
			.withMessage("--start-up takes a number of runs from 1 to 999, not '0'");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--window", "0s"))
			.withMessageStartingWith("--window takes a duration of at least 1s");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--windows", "20s"))
			.withMessage("Unknown option: --windows");
	}

}

package dockercoins.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputModelTests {

	private static final ThroughputModel DEFAULTS = ThroughputModel.of(Map.of());

	@Test
	void predictsTheWorkshopsFiguresWithTheDefaults() {
		assertThat(DEFAULTS.hashesPerSecond(1, 1, 1)).hasValueCloseTo(10.0 / 3, within(1e-9));
		assertThat(DEFAULTS.hashesPerSecond(2, 1, 1)).hasValueCloseTo(20.0 / 3, within(1e-9));
		assertThat(DEFAULTS.hashesPerSecond(10, 1, 1)).hasValueCloseTo(10.0, within(1e-9));
		assertThat(DEFAULTS.hashesPerSecond(10, 5, 1)).hasValueCloseTo(100.0 / 3, within(1e-9));
	}

	@Test
	void readsTheServicesSettingsFromTheirVariables() {
		ThroughputModel model = ThroughputModel.of(Map.of("WORKER_SLEEP", "10ms"));
		assertThat(model.sleep()).isEqualTo(Duration.ofMillis(10));
		assertThat(model.hashesPerSecond(10, 5, 1)).hasValueCloseTo(10 / 0.21, within(1e-9));
	}

	@Test
	void hasherBoundsWhenRngIsUnlimited() {
		ThroughputModel model = ThroughputModel.of(Map.of("RNG_CONCURRENCY", "0", "HASHER_CONCURRENCY", "2"));
		assertThat(model.hashesPerSecond(100, 1, 1)).hasValueCloseTo(20.0, within(1e-9));
	}

	@Test
	void givesNoBoundWithoutLatencies() {
		ThroughputModel model = ThroughputModel
			.of(Map.of("WORKER_SLEEP", "0", "RNG_LATENCY", "0", "HASHER_LATENCY", "0", "RNG_CONCURRENCY", "1"));
		assertThat(model.hashesPerSecond(4, 1, 1)).isEmpty();
	}

	@Test
	void readsDurationsAsSpringBootDoes() {
		assertThat(ThroughputModel.duration("100ms")).isEqualTo(Duration.ofMillis(100));
		assertThat(ThroughputModel.duration("250")).isEqualTo(Duration.ofMillis(250));
		assertThat(ThroughputModel.duration("2s")).isEqualTo(Duration.ofSeconds(2));
		assertThat(ThroughputModel.duration("500us")).isEqualTo(Duration.ofNanos(500_000));
		assertThat(ThroughputModel.duration("PT0.1S")).isEqualTo(Duration.ofMillis(100));
	}

}

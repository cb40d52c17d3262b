package dockercoins.bench;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OriginalSourcesTests {

	private static OriginalSources original;

	@BeforeAll
	static void readTheOriginal() throws IOException {
		original = OriginalSources.read(OriginalCode.directory());
	}

	@Test
	void setsRngsLatency() {
		assertThat(original.rng(Duration.ofMillis(100))).isEqualTo(original.rng());
		String rng = original.rng(Duration.ofMillis(50));
		assertThat(rng).contains("time.sleep(0.05)").doesNotContain("time.sleep(0.1)");
	}

	@Test
	void takesRngsSleepOutAtZeroLatency() {
		assertThat(original.rng(Duration.ZERO)).doesNotContain("sleep(").contains("pass");
	}

	@Test
	void putsTheHasherOnItsPortWithItsLatency() {
		String hasher = original.hasher(18002, Duration.ofMillis(20));
		assertThat(hasher).contains("set :port, 18002", "sleep 0.02")
			.doesNotContain("set :port, 80")
			.doesNotContain("sleep 0.1");
		assertThat(original.hasher(18002, Duration.ZERO)).doesNotContainPattern("\\bsleep\\b");
	}

	@Test
	void pointsTheWorkerAtLoopback() {
		String worker = original.worker(18379, "http://127.0.0.1:18004", "http://127.0.0.1:18002",
				Duration.ofMillis(10));
		assertThat(worker).contains("Redis(\"127.0.0.1\", 18379)", "\"http://127.0.0.1:18004/32\"",
				"\"http://127.0.0.1:18002/\"", "time.sleep(0.01)");
		assertThat(worker).doesNotContain("Redis(\"redis\")", "http://rng", "http://hasher", "time.sleep(0.1)");
	}

	@Test
	void keepsTheWorkersRetryPauseAndTakesItsLoopSleepOutAtZero() {
		String worker = original.worker(6379, "http://127.0.0.1:8001", "http://127.0.0.1:8002", Duration.ZERO);
		assertThat(worker).doesNotContain("time.sleep(0.1)").contains("time.sleep(10)");
		assertThat(worker.lines().filter((line) -> line.contains("time.sleep("))).hasSize(1);
	}

	@Test
	void writesSecondsAsPythonAndRuby() {
		assertThat(OriginalSources.seconds(Duration.ofMillis(100))).isEqualTo("0.1");
		assertThat(OriginalSources.seconds(Duration.ofMillis(10))).isEqualTo("0.01");
		assertThat(OriginalSources.seconds(Duration.ofNanos(1_500_000))).isEqualTo("0.0015");
		assertThat(OriginalSources.seconds(Duration.ofSeconds(2))).isEqualTo("2");
	}

	@Test
	void failsWhenTheOriginalNoLongerHasWhatItRewrites() {
		OriginalSources changed = new OriginalSources("def rng():\n    time.sleep(0.2)\n", "sleep 0.1\nsleep 0.1\n",
				"");
		assertThatIllegalStateException().isThrownBy(() -> changed.rng(Duration.ZERO))
			.withMessageStartingWith("The original's rng.py has no 'time.sleep(0.1)' to rewrite");
		assertThatIllegalStateException().isThrownBy(() -> changed.hasher(8002, Duration.ZERO))
			.withMessageStartingWith("The original's hasher.rb has no 'set :port, 80' to rewrite");
		assertThatIllegalStateException()
			.isThrownBy(() -> OriginalSources.replaceOnce("hasher.rb", changed.hasher(), "sleep 0.1", ""))
			.withMessageStartingWith("The original's hasher.rb has more than one 'sleep 0.1'");
	}

}

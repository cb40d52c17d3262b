package dockercoins.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTests {

	private static final BenchResult WORKSHOP = new BenchResult(BenchConfig.parse("w10-rng5").getFirst(), 32.5,
			Map.of("worker", 0.1, "rng", 0.05, "hasher", 0.02, "webui", 0.01, "redis", 0.002));

	private static final BenchResult ZERO = new BenchResult(BenchConfig.parse("zero-w16").getFirst(), 2150.0,
			Map.of("worker", 0.9, "rng", 0.4, "hasher", 0.45, "redis", 0.05));

	private final BenchReport report = new BenchReport(List.of(WORKSHOP, ZERO));

	@Test
	void printsATableWithTheModelAndTheOriginal() {
		assertThat(this.report.table()).isEqualTo(
				"""
						| configuration | hashes/s | model | ratio | original | CPU (cores): worker |  rng | hasher | webui | redis | total |
						| ------------- | -------- | ----- | ----- | -------- | ------------------- | ---- | ------ | ----- | ----- | ----- |
						| w10-rng5      |     32.5 |  33.3 |  0.98 |     31.9 |                0.10 | 0.05 |   0.02 |  0.01 |  0.00 |  0.18 |
						| zero-w16      |     2150 |     - |     - |      450 |                0.90 | 0.40 |   0.45 |  0.00 |  0.05 |  1.80 |
						""");
	}

	@Test
	void writesCsv() {
		assertThat(this.report.csv().lines()).containsExactly(
				"configuration,workers,rng,environment,hashes_per_second,model,ratio,original,cpu_worker,cpu_rng,cpu_hasher,cpu_webui,cpu_redis,cpu_total",
				"\"w10-rng5\",10,5,\"\",32.500,33.333,0.975,31.900,0.100,0.050,0.020,0.010,0.002,0.182",
				"\"zero-w16\",16,1,\"HASHER_CONCURRENCY=0 HASHER_LATENCY=0 RNG_CONCURRENCY=0 RNG_LATENCY=0 WORKER_SLEEP=0\",2150.000,,,450.000,0.900,0.400,0.450,0.000,0.050,1.800");
	}

	@Test
	void writesJson() {
		assertThat(this.report.json().lines()).containsExactly("[",
				"  {\"configuration\": \"w10-rng5\", \"workers\": 10, \"rng\": 5, \"environment\": {}, \"hashesPerSecond\": 32.500, \"model\": 33.333, \"ratio\": 0.975, \"original\": 31.900, \"cores\": {\"worker\": 0.100, \"rng\": 0.050, \"hasher\": 0.020, \"webui\": 0.010, \"redis\": 0.002}},",
				"  {\"configuration\": \"zero-w16\", \"workers\": 16, \"rng\": 1, \"environment\": {\"HASHER_CONCURRENCY\": \"0\", \"HASHER_LATENCY\": \"0\", \"RNG_CONCURRENCY\": \"0\", \"RNG_LATENCY\": \"0\", \"WORKER_SLEEP\": \"0\"}, \"hashesPerSecond\": 2150.000, \"model\": null, \"ratio\": null, \"original\": 450.000, \"cores\": {\"worker\": 0.900, \"rng\": 0.400, \"hasher\": 0.450, \"webui\": 0.000, \"redis\": 0.050}}",
				"]");
	}

	@Test
	void countsRngInstancesAsOneService() {
		assertThat(Bench.service("rng-4242")).isEqualTo("rng");
		assertThat(Bench.service("worker-17")).isEqualTo("worker");
	}

}

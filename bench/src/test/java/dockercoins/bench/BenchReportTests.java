package dockercoins.bench;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchReportTests {

	private static final BenchResult WORKSHOP = new BenchResult(BenchConfig.parse("w10-rng5").getFirst(), 32.5,
			Map.of("worker", 0.1, "rng", 0.05, "hasher", 0.02, "webui", 0.01, "redis", 0.002), OptionalDouble.of(31.9));

	private static final BenchResult ZERO = new BenchResult(BenchConfig.parse("zero-w16").getFirst(), 9150.0,
			Map.of("worker", 0.9, "rng", 0.4, "hasher", 0.45, "redis", 0.05), OptionalDouble.of(400));

	private static final BenchResult OURS_ONLY = new BenchResult(BenchConfig.parse("w1").getFirst(), 3.2,
			Map.of("worker", 0.03), OptionalDouble.empty());

	private final BenchReport report = new BenchReport(List.of(WORKSHOP, ZERO, OURS_ONLY));

	@Test
	void printsATableWithTheModelAndTheOriginal() {
		assertThat(this.report.table()).isEqualTo(
				"""
						| configuration | hashes/s | model | ratio | original | vs original | CPU (cores): worker |  rng | hasher | webui | redis | total |
						| ------------- | -------- | ----- | ----- | -------- | ----------- | ------------------- | ---- | ------ | ----- | ----- | ----- |
						| w10-rng5      |     32.5 |  33.3 |  0.98 |     31.9 |        1.02 |                0.10 | 0.05 |   0.02 |  0.01 |  0.00 |  0.18 |
						| zero-w16      |     9150 |     - |     - |      400 |       22.88 |                0.90 | 0.40 |   0.45 |  0.00 |  0.05 |  1.80 |
						| w1            |      3.2 |   3.3 |  0.96 |        - |           - |                0.03 | 0.00 |   0.00 |  0.00 |  0.00 |  0.03 |
						""");
	}

	@Test
	void writesCsv() {
		assertThat(this.report.csv().lines()).containsExactly(
				"configuration,workers,rng,environment,hashes_per_second,model,ratio,original,vs_original,cpu_worker,cpu_rng,cpu_hasher,cpu_webui,cpu_redis,cpu_total",
				"\"w10-rng5\",10,5,\"\",32.500,33.333,0.975,31.900,1.019,0.100,0.050,0.020,0.010,0.002,0.182",
				"\"zero-w16\",16,1,\"HASHER_CONCURRENCY=0 HASHER_LATENCY=0 RNG_CONCURRENCY=0 RNG_LATENCY=0 WORKER_SLEEP=0\",9150.000,,,400.000,22.875,0.900,0.400,0.450,0.000,0.050,1.800",
				"\"w1\",1,1,\"\",3.200,3.333,0.960,,,0.030,0.000,0.000,0.000,0.000,0.030");
	}

	@Test
	void writesJson() {
		assertThat(this.report.json().lines()).containsExactly("[",
				"  {\"configuration\": \"w10-rng5\", \"workers\": 10, \"rng\": 5, \"environment\": {}, \"hashesPerSecond\": 32.500, \"model\": 33.333, \"ratio\": 0.975, \"original\": 31.900, \"vsOriginal\": 1.019, \"cores\": {\"worker\": 0.100, \"rng\": 0.050, \"hasher\": 0.020, \"webui\": 0.010, \"redis\": 0.002}},",
				"  {\"configuration\": \"zero-w16\", \"workers\": 16, \"rng\": 1, \"environment\": {\"HASHER_CONCURRENCY\": \"0\", \"HASHER_LATENCY\": \"0\", \"RNG_CONCURRENCY\": \"0\", \"RNG_LATENCY\": \"0\", \"WORKER_SLEEP\": \"0\"}, \"hashesPerSecond\": 9150.000, \"model\": null, \"ratio\": null, \"original\": 400.000, \"vsOriginal\": 22.875, \"cores\": {\"worker\": 0.900, \"rng\": 0.400, \"hasher\": 0.450, \"webui\": 0.000, \"redis\": 0.050}},",
				"  {\"configuration\": \"w1\", \"workers\": 1, \"rng\": 1, \"environment\": {}, \"hashesPerSecond\": 3.200, \"model\": 3.333, \"ratio\": 0.960, \"original\": null, \"vsOriginal\": null, \"cores\": {\"worker\": 0.030, \"rng\": 0.000, \"hasher\": 0.000, \"webui\": 0.000, \"redis\": 0.000}}",
				"]");
	}

	@Test
	void comparesOursWithTheOriginalMeasuredInTheSameRun() {
		assertThat(ZERO.versusOriginal()).hasValueCloseTo(9150.0 / 400, within(1e-9));
		assertThat(WORKSHOP.versusOriginal()).hasValueCloseTo(32.5 / 31.9, within(1e-9));
		assertThat(OURS_ONLY.versusOriginal()).isEmpty();
		assertThat(new BenchResult(ZERO.config(), 10, Map.of(), OptionalDouble.of(0)).versusOriginal()).isEmpty();
	}

	@Test
	void tablesEachProcesssMemoryAndItsGrowth() {
		assertThat(Bench.memoryTable(Map.of("worker-7", new ResidentMemory(102_400, 61_440, 40_960)), Map.of("worker-7",
				new ResidentMemory(104_448, 63_488, 40_960), "redis-9", new ResidentMemory(8_192, 2_048, 6_144))))
			.isEqualTo("""
					| process  | VmRSS, start | VmRSS, end | growth | RssAnon, end | RssFile, end |
					| -------- | ------------ | ---------- | ------ | ------------ | ------------ |
					| redis-9  |            - |          8 |      - |            2 |            6 |
					| worker-7 |          100 |        102 |  +2.0% |           62 |           40 |
					""");
	}

	@Test
	void takesTheMedian() {
		assertThat(Bench.median(List.of(7.1, 6.2, 9.0))).isEqualTo(7.1);
		assertThat(Bench.median(List.of(7.0, 6.0, 9.0, 8.0))).isEqualTo(7.5);
	}

	@Test
	void countsRngInstancesAsOneService() {
		assertThat(Bench.service("rng-4242")).isEqualTo("rng");
		assertThat(Bench.service("worker-17")).isEqualTo("worker");
	}

}

package dockercoins.webui;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.testsupport.Documentation;
import dockercoins.testsupport.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@SpringBootTest
@AutoConfigureMockMvc
@Import(TestRedis.class)
class WebuiApplicationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private StringRedisTemplate redis;

	@BeforeEach
	void emptyRedis() {
		this.redis.getConnectionFactory().getConnection().serverCommands().flushAll();
	}

	@Test
	void redirectsHomeToThePage() {
		assertThat(this.mvc.get().uri("/")).hasStatus(302).hasHeader("Location", "/index.html");
	}

	@Test
	void answersTheCountersAsTheOriginalDoes() {
		this.redis.opsForValue().increment("hashes", 42);
		this.redis.opsForHash().put("wallet", "0abc", "bytes");
		this.redis.opsForHash().put("wallet", "0def", "bytes");
		double now = System.currentTimeMillis() / 1000.0;
		assertThat(this.mvc.get().uri("/json")).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.bodyJson()
			.satisfies((json) -> {
				assertThat(json).extractingPath("$.coins").isEqualTo(2);
				assertThat(json).extractingPath("$.hashes").isEqualTo(42);
				assertThat(json).extractingPath("$.now")
					.asNumber()
					.satisfies((value) -> assertThat(value.doubleValue()).isCloseTo(now, within(5.0)));
			});
	}

	@Test
	void answersZeroHashesBeforeTheFirstCount() {
		assertThat(this.mvc.get().uri("/json")).bodyJson().isLenientlyEqualTo("{\"coins\": 0, \"hashes\": 0}");
	}

	@Test
	void servesThePageAndEverythingItLoadsItself() throws Exception {
		String page = this.mvc.get().uri("/index.html").exchange().getResponse().getContentAsString();
		assertThat(page).contains("<title>DockerCoin Miner WebUI</title>");
		List<String> assets = assets(page);
		assertThat(assets).contains("webjars/uplot/dist/uPlot.iife.min.js", "webjars/uplot/dist/uPlot.min.css",
				"index.js");
		for (String asset : assets) {
			assertThat(asset).doesNotContain("//");
			assertThat(this.mvc.get().uri("/" + asset)).hasStatusOk();
		}
	}

	@Test
	void keepsTheAxisLabelSizeTheWorkshopExerciseEdits() {
		assertThat(this.mvc.get().uri("/index.html")).bodyText().contains("--axis-font-size: 15px;");
	}

	@Test
	void answersAnUnknownPathWithAProblemDetail() {
		assertThat(this.mvc.get().uri("/no/such/page")).hasStatus(404)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.extractingPath("$.instance")
			.isEqualTo("/no/such/page");
	}

	@Test
	void exposesOnlyHealthInfoAndPrometheus() {
		assertThat(this.mvc.get().uri("/actuator/health/liveness")).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/prometheus")).hasStatusOk().bodyText().contains("service=\"webui\"");
		assertThat(this.mvc.get().uri("/actuator/env")).hasStatus(404);
	}

	@Test
	void groupsTheRunningWorkersByVersion() {
		publish("fleet:b:1", "{\"instance\":\"b\",\"version\":\"v0.1\",\"sleep\":\"100ms\",\"loops\":2,\"rate\":6.5}");
		publish("fleet:a:1", "{\"instance\":\"a\",\"version\":\"v0.1\",\"sleep\":\"100ms\",\"loops\":1,\"rate\":3.25}");
		publish("fleet:c:1", "{\"instance\":\"c\",\"version\":\"v0.01\",\"sleep\":\"10ms\",\"loops\":1,\"rate\":4.5}");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"versions": [
				  {"version": "v0.01", "workers": 1, "rate": 4.5, "build": "", "instances": [
				    {"instance": "c", "version": "v0.01", "build": "", "sleep": "10ms", "loops": 1, "rate": 4.5}]},
				  {"version": "v0.1", "workers": 3, "rate": 9.75, "build": "", "instances": [
				    {"instance": "a", "version": "v0.1", "build": "", "sleep": "100ms", "loops": 1, "rate": 3.25},
				    {"instance": "b", "version": "v0.1", "build": "", "sleep": "100ms", "loops": 2, "rate": 6.5}]}
				],
				"steps": {},
				"replicas": {"rng": [], "hasher": []}}""");
	}

	@Test
	void tellsTwoBuildsOfOneVersionApart() {
		// The seed's v0.01, built without --build-arg VERSION, beside the v0.1 it
		// replaces.
		publish("fleet:old:1",
				"""
						{"instance": "old", "version": "v0.1", "build": "1a2b3c4d", "sleep": "100ms", "loops": 1, "rate": 3.0}""");
		publish("fleet:new:1",
				"""
						{"instance": "new", "version": "v0.1", "build": "5e6f7a8b", "sleep": "10ms", "loops": 1, "rate": 4.5}""");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo(
					"""
							{"versions": [
							  {"version": "v0.1", "build": "1a2b3c4d", "workers": 1, "rate": 3.0, "instances": [{"instance": "old"}]},
							  {"version": "v0.1", "build": "5e6f7a8b", "workers": 1, "rate": 4.5, "instances": [{"instance": "new"}]}
							]}""");
	}

	@Test
	void showsWhereTheFleetsTimeGoesAndWhichReplicasAnswerIt() {
		publish("fleet:a:1", """
				{"instance": "a", "version": "v0.1", "sleep": "100ms", "loops": 10, "rate": 10.0,
				 "steps": {"sleep": {"mean": 0.1, "count": 100}, "rng": {"mean": 0.8, "count": 100},
				           "hasher": {"mean": 0.1, "count": 100}, "redis": {"mean": 0.002, "count": 10}},
				 "replicas": {"rng": {"rng-2": 5.0, "rng-1": 5.0}, "hasher": {"hasher": 10.0}}}""");
		publish("fleet:b:1", """
				{"instance": "b", "version": "v0.01", "sleep": "10ms", "loops": 10, "rate": 30.0,
				 "steps": {"sleep": {"mean": 0.01, "count": 300}, "rng": {"mean": 0.2, "count": 300},
				           "hasher": {"mean": 0.1, "count": 300}, "redis": {"mean": 0.001, "count": 10}},
				 "replicas": {"rng": {"rng-1": 15.0, "rng-3": 15.0}, "hasher": {"hasher": 30.0}}}""");
		// The mean of every loop of every worker: a busy worker weighs more.
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"steps": {"sleep": 0.0325, "rng": 0.35, "hasher": 0.1, "redis": 0.0015},
				 "replicas": {
				   "rng": [{"instance": "rng-1", "rate": 20.0}, {"instance": "rng-2", "rate": 5.0},
				           {"instance": "rng-3", "rate": 15.0}],
				   "hasher": [{"instance": "hasher", "rate": 40.0}]}}""");
		// In the loop's order, for the page's bars.
		assertThat(this.mvc.get().uri("/fleet.json")).bodyJson()
			.extractingPath("$.steps")
			.convertTo(Map.class)
			.satisfies((steps) -> assertThat(steps.keySet()).containsExactly("sleep", "rng", "hasher", "redis"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void readsTheDocumentedFleetRecord() {
		String example = Documentation.fleetRecordExample();
		Map<String, Object> record = JSON.readValue(example, new TypeReference<>() {
		});
		publish("fleet:example:1", example);
		Map<String, Map<String, Number>> steps = (Map<String, Map<String, Number>>) record.get("steps");
		Map<String, Map<String, Number>> replicas = (Map<String, Map<String, Number>>) record.get("replicas");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk().bodyJson().satisfies((json) -> {
			assertThat(json).extractingPath("$.versions[0].version").isEqualTo(record.get("version"));
			assertThat(json).extractingPath("$.versions[0].build").isEqualTo(record.get("build"));
			assertThat(json).extractingPath("$.versions[0].workers").isEqualTo(record.get("loops"));
			assertThat(json).extractingPath("$.versions[0].rate").isEqualTo(record.get("rate"));
			assertThat(json).extractingPath("$.versions[0].instances[0]")
				.isEqualTo(Map.of("instance", record.get("instance"), "version", record.get("version"), "build",
						record.get("build"), "sleep", record.get("sleep"), "loops", record.get("loops"), "rate",
						record.get("rate")));
			assertThat(json).extractingPath("$.steps")
				.convertTo(Map.class)
				.satisfies((means) -> assertThat(means.keySet()).containsExactlyElementsOf(steps.keySet()));
			steps.forEach(
					(step, times) -> assertThat(json).extractingPath("$.steps." + step).isEqualTo(times.get("mean")));
			replicas.forEach((service,
					rates) -> rates.forEach((instance, rate) -> assertThat(json)
						.extractingPath("$.replicas." + service + "[?(@.instance == '" + instance + "')].rate")
						.asArray()
						.containsExactly(rate)));
		});
	}

	@Test
	void readsFleetEntriesWithFieldsItDoesNotKnowYet() {
		publish("fleet:a:1", """
				{"instance": "a", "version": "v9", "sleep": "100ms", "loops": 1, "rate": 3.0, "future": [1, 2],
				 "steps": {"rng": {"mean": 0.1, "count": 3, "max": 0.2}}}""");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"versions": [{"version": "v9", "workers": 1}], "steps": {"rng": 0.1}}""");
	}

	@Test
	void listsTheWorkersItCanReadAndSkipsTheOthers() {
		this.redis.opsForValue().set("hashes", "42");
		publish("fleet:broken", "not json");
		publish("fleet:a:1", "{\"instance\":\"a\",\"version\":\"v0.1\",\"sleep\":\"100ms\",\"loops\":1,\"rate\":3.0}");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.versions[*].instances[*].instance")
			.asArray()
			.containsExactly("a");
	}

	private void publish(String key, String status) {
		this.redis.opsForValue().set(key, status);
	}

	private static List<String> assets(String page) {
		Matcher matcher = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
		return matcher.results().map((result) -> result.group(1)).toList();
	}

}

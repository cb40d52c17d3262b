package dockercoins.webui;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@AutoConfigureMockMvc
class FleetTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private StringRedisTemplate redis;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.start();
		registry.add("spring.data.redis.host", TestRedis::host);
		registry.add("spring.data.redis.port", TestRedis::port);
	}

	@BeforeEach
	void emptyRedis() {
		this.redis.getConnectionFactory().getConnection().serverCommands().flushAll();
	}

	@Test
	void groupsTheRunningWorkersByVersion() {
		publish("fleet:b:1", "{\"instance\":\"b\",\"version\":\"v0.1\",\"sleep\":\"100ms\",\"loops\":2,\"rate\":6.5}");
		publish("fleet:a:1", "{\"instance\":\"a\",\"version\":\"v0.1\",\"sleep\":\"100ms\",\"loops\":1,\"rate\":3.25}");
		publish("fleet:c:1", "{\"instance\":\"c\",\"version\":\"v0.01\",\"sleep\":\"10ms\",\"loops\":1,\"rate\":4.5}");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"versions": [
				  {"version": "v0.01", "workers": 1, "rate": 4.5, "instances": [
				    {"instance": "c", "version": "v0.01", "sleep": "10ms", "loops": 1, "rate": 4.5}]},
				  {"version": "v0.1", "workers": 3, "rate": 9.75, "instances": [
				    {"instance": "a", "version": "v0.1", "sleep": "100ms", "loops": 1, "rate": 3.25},
				    {"instance": "b", "version": "v0.1", "sleep": "100ms", "loops": 2, "rate": 6.5}]}
				]}""");
	}

	@Test
	void ignoresOtherKeysAndEntriesItCannotRead() {
		this.redis.opsForValue().set("hashes", "42");
		this.redis.opsForHash().put("wallet", "0abc", "bytes");
		publish("fleet:broken", "not json");
		assertThat(this.mvc.get().uri("/fleet.json")).hasStatusOk().bodyJson().isStrictlyEqualTo("{\"versions\": []}");
		assertThat(this.redis.opsForValue().get("hashes")).isEqualTo("42");
	}

	private void publish(String key, String status) {
		this.redis.opsForValue().set(key, status);
	}

}

package dockercoins.rng;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The rng service: hands out random bytes, slowly and one request at a time by default.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(RngProperties.class)
public class RngApplication {

	@Bean
	RequestSlots requestSlots(RngProperties properties, MeterRegistry registry) {
		return new RequestSlots(properties.latency(), properties.concurrency(), properties.maxWaiting(), registry);
	}

	public static void main(String[] args) {
		SpringApplication.run(RngApplication.class, args);
	}

}

package dockercoins.hasher;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The hasher service: answers with the SHA-256 of what it is sent, after a delay. */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(HasherProperties.class)
public class HasherApplication {

	@Bean
	RequestSlots requestSlots(HasherProperties properties, MeterRegistry registry) {
		return new RequestSlots(properties.latency(), properties.concurrency(), properties.maxWaiting(), registry);
	}

	public static void main(String[] args) {
		SpringApplication.run(HasherApplication.class, args);
	}

}

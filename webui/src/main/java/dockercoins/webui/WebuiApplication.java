package dockercoins.webui;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The webui service: shows the mining speed read from Redis as a live graph. */
@SpringBootApplication(proxyBeanMethods = false)
public class WebuiApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebuiApplication.class, args);
	}

}

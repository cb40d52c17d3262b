package dockercoins.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Compose walk-through of docs/workshop.md, command for command, in a copy of the
 * repository (so that the page can be edited there): the figures it promises, and the
 * page served from the working copy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeEndToEndTests {

	private static final WebUi webui = new WebUi(8000);

	private static Path project;

	@BeforeAll
	static void copyTheRepository() throws IOException {
		Images.build();
		Docker.requireFreePorts(8000, 8001, 8002);
		// The project's name is its folder's, as for a clone named dockercoins.
		project = Files.createDirectories(Files.createTempDirectory("compose-").resolve("dockercoins"));
		Files.copy(Docker.REPOSITORY.resolve("docker-compose.yml"), project.resolve("docker-compose.yml"));
		for (String service : Images.SERVICES) {
			for (String part : List.of("Dockerfile", "pom.xml", "jvm.options", "src")) {
				Docker.copy(Docker.REPOSITORY.resolve(service).resolve(part), project.resolve(service).resolve(part));
			}
		}
	}

	@AfterAll
	static void down() {
		if (project != null) {
			compose("down", "--volumes");
		}
	}

	@Test
	@Order(1)
	void upMinesAtTheSpeedOfOneWorker() throws Exception {
		compose("up", "-d", "--build");
		await().atMost(Duration.ofMinutes(2)).until(() -> webui.versions().equals(Map.of("v0.1", 1)));
		// The speed once the JVMs have compiled their hot paths, as an attendee watches
		// it; the first seconds of a worker, with the services' first requests, are
		// slower.
		Thread.sleep(Duration.ofSeconds(10));
		assertThat(webui.rate(Duration.ofSeconds(20))).isBetween(2.8, 3.6);
	}

	@Test
	@Order(2)
	void tenWorkersMineNoFasterThanRngAnswers() throws Exception {
		compose("up", "-d", "--scale", "worker=10");
		await().atMost(Duration.ofMinutes(2)).until(() -> webui.versions().equals(Map.of("v0.1", 10)));
		assertThat(webui.rate(Duration.ofSeconds(20))).isBetween(8.5, 10.5);
	}

	@Test
	@Order(3)
	void httpingShowsRngSlowAndHasherFast() {
		Command.requireTool(Docker.succeeds("which", "httping"), "No httping: apt-get install httping");
		assertThat(httping(8001)).as("rng's round trip in ms").isGreaterThanOrEqualTo(500);
		assertThat(httping(8002)).as("hasher's round trip in ms").isLessThan(50);
	}

	@Test
	@Order(4)
	void showsAnEditOfThePageOnReload() throws IOException {
		Path page = project.resolve("webui/src/main/resources/static/index.html");
		assertThat(webui.get("index.html")).contains("--axis-font-size: 15px;");
		Files.writeString(page, Files.readString(page).replace("--axis-font-size: 15px;", "--axis-font-size: 30px;"));
		assertThat(webui.get("index.html")).contains("--axis-font-size: 30px;");
	}

	/** The mean round trip that {@code httping -c 3} shows, in milliseconds. */
	private static double httping(int port) {
		String output = Docker.run("httping", "-c", "3", "localhost:" + port);
		System.out.print(output);
		Matcher average = Pattern.compile("round-trip min/avg/max[^=]*= [0-9.]+/([0-9.]+)/").matcher(output);
		assertThat(average.find()).as(output).isTrue();
		return Double.parseDouble(average.group(1));
	}

	private static String compose(String... arguments) {
		List<String> command = new ArrayList<>(Docker.compose());
		command.addAll(List.of(arguments));
		return Docker.run(project, Map.of(), command);
	}

}

package dockercoins.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dockercoins.testsupport.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Compose walk-through of docs/workshop.md, command for command, in a copy of the
 * repository (so that the page can be edited there), with {@code docker compose} (v2) as
 * README.md says first: images built from the tree even where others have their names,
 * the figures it promises, the page served from the working copy; then the course's
 * {@code docker-compose up} with Compose v1.
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
			Images.copyBuildContext(service, project.resolve(service));
		}
	}

	@AfterAll
	static void down() {
		if (project != null) {
			compose("down", "--volumes");
		}
	}

	/**
	 * The course's {@code docker-compose up}, without {@code --build}, where images of
	 * the names docker-compose.yml gives are there but are not ours: Compose v2 would
	 * pull or reuse them without {@code pull_policy: build}.
	 */
	@Test
	@Order(1)
	void upRunsTheImagesItBuildsNotOthersOfTheSameName() throws IOException {
		RequiredTools.require(Docker.compose().equals(List.of("docker", "compose")),
				"Compose v2 (docker compose) is needed: install Docker's compose plugin");
		Map<String, String> images = images();
		String impostor = imageId("redis:8");
		images.values().forEach((image) -> Docker.run("docker", "tag", "redis:8", image));
		compose("up", "-d");
		for (Map.Entry<String, String> service : images.entrySet()) {
			String container = compose("ps", "-q", service.getKey()).strip();
			assertThat(Docker.run("docker", "inspect", "--format", "{{.Image}}", container).strip())
				.as("the image %s runs", service.getKey())
				.isNotEqualTo(impostor)
				.isEqualTo(imageId(service.getValue()));
		}
	}

	@Test
	@Order(2)
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
	@Order(3)
	void tenWorkersMineNoFasterThanRngAnswers() throws Exception {
		compose("up", "-d", "--scale", "worker=10");
		await().atMost(Duration.ofMinutes(2)).until(() -> webui.versions().equals(Map.of("v0.1", 10)));
		assertThat(webui.rate(Duration.ofSeconds(20))).isBetween(8.5, 10.5);
	}

	@Test
	@Order(4)
	void httpingShowsRngSlowAndHasherFast() {
		RequiredTools.require(Docker.succeeds("which", "httping"), "No httping: apt-get install httping");
		assertThat(httping(8001)).as("rng's round trip in ms").isGreaterThanOrEqualTo(500);
		assertThat(httping(8002)).as("hasher's round trip in ms").isLessThan(50);
	}

	@Test
	@Order(5)
	void showsAnEditOfThePageOnReload() throws IOException {
		Path page = project.resolve("webui/src/main/resources/static/index.html");
		assertThat(webui.get("index.html")).contains("--axis-font-size: 15px;");
		Files.writeString(page, Files.readString(page).replace("--axis-font-size: 15px;", "--axis-font-size: 30px;"));
		assertThat(webui.get("index.html")).contains("--axis-font-size: 30px;");
	}

	/**
	 * The course's {@code docker-compose up} with Compose v1 (1.29), which reads
	 * {@code pull_policy} and runs the images built above, under their names.
	 */
	@Test
	@Order(6)
	void composeV1RunsTheSameImages() {
		RequiredTools.require(Docker.succeeds("docker-compose", "version"), "No docker-compose 1.29 to check");
		compose("down", "--volumes");
		Docker.run(project, Map.of(), List.of("docker-compose", "up", "-d"));
		await().atMost(Duration.ofMinutes(2)).until(() -> webui.versions().equals(Map.of("v0.1", 1)));
		Docker.run(project, Map.of(), List.of("docker-compose", "down", "--volumes"));
	}

	/** The images docker-compose.yml builds, by service. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> images() throws IOException {
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) new Yaml()
			.<Map<String, Object>>load(Files.readString(project.resolve("docker-compose.yml")))
			.get("services");
		Map<String, String> images = new TreeMap<>();
		services.forEach((name, service) -> {
			if (service.containsKey("build")) {
				images.put(name, ((String) service.get("image")).replace("${TAG:-v0.1}", "v0.1"));
			}
		});
		assertThat(images).as("the images docker-compose.yml builds").hasSize(4);
		return images;
	}

	private static String imageId(String image) {
		return Docker.run("docker", "image", "inspect", "--format", "{{.Id}}", image).strip();
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

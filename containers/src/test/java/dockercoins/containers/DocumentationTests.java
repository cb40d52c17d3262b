package dockercoins.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dockercoins.testsupport.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text that describes the code, checked against the code where that is cheap: the
 * README's configuration table, the memory comment of stack.yml, the links between the
 * documents.
 */
class DocumentationTests {

	private static final Path REPOSITORY = Command.REPOSITORY;

	/**
	 * A record component with its default, other annotations and type:
	 * {@code @DefaultValue("100ms") @DurationMin(millis = 0) Duration latency}.
	 */
	private static final Pattern DEFAULTED = Pattern
		.compile("@DefaultValue\\(\"([^\"]*)\"\\)(?:\\s*@\\w+(?:\\([^)]*\\))?)*\\s*[\\w<>.]+\\s+(\\w+)");

	@ParameterizedTest
	@ValueSource(strings = { "rng/src/main/java/dockercoins/rng/RngProperties.java",
			"hasher/src/main/java/dockercoins/hasher/HasherProperties.java",
			"worker/src/main/java/dockercoins/worker/WorkerProperties.java" })
	void theReadmeGivesEverySettingWithItsDefault(String source) throws IOException {
		String code = Files.readString(REPOSITORY.resolve(source));
		String prefix = source.substring(0, source.indexOf('/')).toUpperCase(Locale.ROOT);
		String readme = Files.readString(REPOSITORY.resolve("README.md"));
		Matcher setting = DEFAULTED.matcher(code);
		int settings = 0;
		while (setting.find()) {
			String variable = prefix + "_" + setting.group(2).replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
			assertThat(readme).as(variable)
				.contains("| `" + variable + "` | " + prefix.toLowerCase(Locale.ROOT) + " | `" + setting.group(1)
						+ "` |");
			settings++;
		}
		assertThat(settings).as("settings found in " + source).isGreaterThanOrEqualTo(4);
	}

	@Test
	void theStackFileDescribesTheHeapAndTheLimitItSets() throws IOException {
		String stack = Files.readString(REPOSITORY.resolve("stack.yml"));
		Matcher comment = Pattern.compile("a\\s+#?\\s*heap of at most (\\d+)M\\); the (\\d+)M limit").matcher(stack);
		assertThat(comment.find()).as("the comment on the Java services' memory in stack.yml").isTrue();
		for (String service : Images.SERVICES) {
			assertThat(Files.readString(REPOSITORY.resolve(service).resolve("jvm.options")))
				.as(service + "/jvm.options")
				.containsPattern("(?m)-Xmx" + comment.group(1) + "m\\b");
		}
		String javaService = stack.substring(stack.indexOf("x-java-service:"), stack.indexOf("\nservices:"));
		assertThat(javaService).contains("memory: " + comment.group(2) + "M");
	}

	@Test
	void everyLinkBetweenTheDocumentsLeadsSomewhere() throws IOException {
		List<Path> documents;
		try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
			documents = Stream
				.concat(Stream.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("BENCHMARKS.md")),
						docs.filter((path) -> path.toString().endsWith(".md")))
				.toList();
		}
		Pattern link = Pattern.compile("\\]\\(([^)#:]*)(?:#([^)]*))?\\)");
		int links = 0;
		for (Path document : documents) {
			Matcher matcher = link.matcher(Files.readString(document));
			while (matcher.find()) {
				Path target = matcher.group(1).isEmpty() ? document
						: document.getParent().resolve(matcher.group(1)).normalize();
				assertThat(target).as(matcher.group() + " in " + document.getFileName()).exists();
				if (matcher.group(2) != null) {
					assertThat(anchors(target)).as(matcher.group() + " in " + document.getFileName())
						.contains(matcher.group(2));
				}
				links++;
			}
		}
		assertThat(links).isGreaterThan(10);
	}

	@Test
	void theReadmeNamesBenchsWaysInAndTheyExist() throws IOException {
		String readme = Files.readString(REPOSITORY.resolve("README.md"));
		assertThat(readme).contains("`java -jar bench/target/dockercoins-bench.jar");
		assertThat(Files.readString(REPOSITORY.resolve("bench/pom.xml")))
			.contains("<finalName>dockercoins-bench</finalName>");
		List<String> named = Pattern.compile("`(bench/[\\w-]+\\.sh)`")
			.matcher(readme)
			.results()
			.map((script) -> script.group(1))
			.distinct()
			.toList();
		// Every script of bench/, and only those.
		assertThat(named).containsExactlyInAnyOrderElementsOf(benchScripts().stream().map("bench/"::concat).toList())
			.allSatisfy((script) -> assertThat(REPOSITORY.resolve(script)).as(script).isExecutable());
	}

	@Test
	void benchmarksNamesEveryScriptOfBenchAndOnlyThose() throws IOException {
		String benchmarks = Files.readString(REPOSITORY.resolve("BENCHMARKS.md"));
		List<String> scripts = benchScripts();
		assertThat(scripts).isNotEmpty().allSatisfy((script) -> assertThat(benchmarks).contains("`" + script));
		// Those of the past are quoted from git (git show <commit>:bench/x.sh).
		Pattern.compile("(?<![:\\w])bench/([\\w-]+\\.sh)")
			.matcher(benchmarks)
			.results()
			.forEach((named) -> assertThat(scripts).as(named.group()).contains(named.group(1)));
	}

	/** The file names of bench/'s scripts. */
	private static List<String> benchScripts() throws IOException {
		try (Stream<Path> files = Files.list(REPOSITORY.resolve("bench"))) {
			return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".sh")).toList();
		}
	}

	/**
	 * The slides maps of workshop.md and kubernetes.md name slide files that exist, and
	 * every slide of the course's Swarm, Kubernetes and shared chapters that names
	 * DockerCoins.
	 */
	@Test
	void theSlidesMapsNameEverySlideThatUsesDockerCoins() throws IOException {
		Path slides = REPOSITORY.resolveSibling("shared/peers/container.training/slides");
		RequiredTools.require(Files.isDirectory(slides),
				"The course's slides are not beside the repository: " + slides);
		String maps = slidesMap("docs/workshop.md") + slidesMap("docs/kubernetes.md");
		List<String> named = Pattern.compile("`((?:swarm|shared|k8s)/[a-z0-9+-]+\\.md)`")
			.matcher(maps)
			.results()
			.map((match) -> match.group(1))
			.distinct()
			.toList();
		assertThat(named).as("slides the maps name")
			.hasSizeGreaterThan(30)
			.allSatisfy((slide) -> assertThat(slides.resolve(slide)).exists());
		for (String chapter : List.of("swarm", "shared", "k8s")) {
			try (Stream<Path> files = Files.list(slides.resolve(chapter))) {
				for (Path file : files.toList()) {
					if (Files.readString(file).toLowerCase(Locale.ROOT).contains("dockercoins")) {
						assertThat(named).as("the maps name the slide %s/%s", chapter, file.getFileName())
							.contains(chapter + "/" + file.getFileName());
					}
				}
			}
		}
	}

	/**
	 * The names the documents give our images are those of docker-compose.yml and
	 * stack.yml, and Compose builds every image it names.
	 */
	@Test
	void theDocumentsNameTheImagesAsTheComposeAndStackFilesDo() throws IOException {
		String compose = Files.readString(REPOSITORY.resolve("docker-compose.yml"));
		String stack = Files.readString(REPOSITORY.resolve("stack.yml"));
		for (String service : Images.SERVICES) {
			assertThat(compose).contains("    build: " + service + "\n    image: dockercoins-java/" + service
					+ ":${TAG:-v0.1}\n    pull_policy: build\n");
			assertThat(stack).contains("image: ${REGISTRY:-localhost:5000}/dockercoins_" + service + ":${TAG:-v0.1}");
		}
		for (String document : List.of("docs/workshop.md", "docs/operations.md")) {
			assertThat(Files.readString(REPOSITORY.resolve(document))).as(document)
				.contains("`dockercoins-java/<service>:", "/dockercoins_<service>:", "`127.0.0.1:5000/<service>:<tag>`")
				.doesNotContainPattern("(Compose names the images|builds the four images) \\(?`dockercoins/");
		}
	}

	/** The section "The slides map" of a document. */
	private static String slidesMap(String document) throws IOException {
		String text = Files.readString(REPOSITORY.resolve(document));
		int start = text.indexOf("## The slides map");
		assertThat(start).as("%s has a slides map", document).isNotNegative();
		int end = text.indexOf("\n## ", start + 1);
		return text.substring(start, (end < 0) ? text.length() : end);
	}

	/** The anchors GitHub gives a document's headings. */
	private static List<String> anchors(Path document) throws IOException {
		return Files.readAllLines(document)
			.stream()
			.filter((line) -> line.startsWith("#"))
			.map((line) -> line.replaceFirst("^#+\\s*", "")
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^a-z0-9 _-]", "")
				.replace(' ', '-'))
			.toList();
	}

}

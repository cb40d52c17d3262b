package dockercoins.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's Dockerfile carried out without Docker, as far as that can be done: each
 * stage's file system is a directory, COPY and WORKDIR act on those directories, and the
 * RUN instructions that start with {@code mvn} or {@code java} run there with the stage's
 * ARG and ENV values. The other RUN instructions set up the operating system (packages, a
 * user), which is not reproduced.
 */
final class ImageBuild {

	/** The repository; the end-to-end tests run in the launcher module. */
	static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

	private static final Pattern JSON_STRING = Pattern.compile("\"([^\"]*)\"");

	private final Path context;

	private final Path root;

	private final Path builtJar;

	private final Map<String, Path> stages = new HashMap<>();

	private final Map<String, String> variables = new LinkedHashMap<>();

	private final Map<String, String> environment = new LinkedHashMap<>();

	private Path stage;

	private Path workdir;

	private String healthcheck;

	private String user = "root";

	private List<String> entrypoint;

	private ImageBuild(Path context, Path root, Path builtJar) {
		this.context = context;
		this.root = root;
		this.builtJar = builtJar;
	}

	/** The build of a service's image in {@code root}, with Maven. */
	static ImageBuild of(String service, Path root) {
		return new ImageBuild(REPOSITORY.resolve(service), root, null);
	}

	/**
	 * The build of a service's image in {@code root}, where {@code jar} stands for what
	 * the build stage's Maven command makes.
	 */
	static ImageBuild withJar(String service, Path root, Path jar) {
		return new ImageBuild(REPOSITORY.resolve(service), root, jar);
	}

	/** Carries out the first stage of the Dockerfile. */
	ImageBuild buildStage() throws IOException, InterruptedException {
		return carryOut(1);
	}

	/** Carries out the whole Dockerfile. */
	ImageBuild allStages() throws IOException, InterruptedException {
		return carryOut(Integer.MAX_VALUE);
	}

	Path workdir() {
		return this.workdir;
	}

	/** The shell command of the last stage's HEALTHCHECK. */
	String healthcheck() {
		return this.healthcheck;
	}

	/** The user the last stage's command runs as. */
	String user() {
		return this.user;
	}

	List<String> entrypoint() {
		return this.entrypoint;
	}

	/**
	 * Starts a command in the working directory with the stage's ENV values and the given
	 * ones; its output goes to the log {@code name}.
	 */
	Process start(String name, List<String> command, Map<String, String> environment) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workdir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
		builder.environment().putAll(this.environment);
		builder.environment().putAll(environment);
		builder.environment().put("PATH", tools() + ":" + System.getenv("PATH"));
		return builder.start();
	}

	/** The last lines of a log, if it was written. */
	String log(String name, int lines) {
		try {
			List<String> all = Files.exists(log(name)) ? Files.readAllLines(log(name)) : List.of();
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private ImageBuild carryOut(int stageCount) throws IOException, InterruptedException {
		for (String instruction : instructions()) {
			String[] parts = instruction.split("\\s+", 2);
			String keyword = parts[0].toUpperCase(Locale.ROOT);
			if (keyword.equals("FROM") && this.stages.size() == stageCount) {
				break;
			}
			switch (keyword) {
				case "FROM" -> from(parts[1]);
				case "WORKDIR" -> this.workdir = Files.createDirectories(path(parts[1]));
				case "COPY" -> copy(parts[1].split("\\s+"));
				case "ARG", "ENV" -> assign(keyword, parts[1]);
				case "RUN" -> run(parts[1].replaceAll("^(--\\S+\\s+)+", ""));
				case "HEALTHCHECK" -> this.healthcheck = parts[1].substring(parts[1].indexOf("CMD ") + 4);
				case "ENTRYPOINT" ->
					this.entrypoint = JSON_STRING.matcher(parts[1]).results().map((match) -> match.group(1)).toList();
				case "USER" -> this.user = parts[1].trim();
				default -> {
					// EXPOSE: nothing to reproduce outside a container.
				}
			}
		}
		return this;
	}

	/** The instructions, continuation lines joined, comments and blank lines left out. */
	private List<String> instructions() throws IOException {
		List<String> instructions = new ArrayList<>();
		StringBuilder instruction = new StringBuilder();
		for (String line : Files.readAllLines(this.context.resolve("Dockerfile"))) {
			String text = line.strip();
			if (text.isEmpty() || text.startsWith("#")) {
				continue;
			}
			if (text.endsWith("\\")) {
				instruction.append(text, 0, text.length() - 1).append(' ');
				continue;
			}
			instructions.add(instruction.append(text).toString());
			instruction.setLength(0);
		}
		return instructions;
	}

	private void from(String arguments) throws IOException {
		String[] words = arguments.split("\\s+");
		this.stage = Files.createDirectories(this.root.resolve("stage-" + this.stages.size()));
		this.stages.put(words[words.length - 1], this.stage);
		this.workdir = this.stage;
		this.user = "root";
		this.variables.clear();
		this.environment.clear();
	}

	/** A path in the stage: absolute from its root, else from its working directory. */
	private Path path(String path) {
		return path.startsWith("/") ? this.stage.resolve(path.substring(1)) : this.workdir.resolve(path);
	}

	private void copy(String[] words) throws IOException {
		List<String> paths = new ArrayList<>();
		Path from = this.context;
		for (String word : words) {
			if (word.startsWith("--from=")) {
				from = this.stages.get(word.substring("--from=".length()));
			}
			else if (!word.startsWith("--")) {
				paths.add(word);
			}
		}
		String target = paths.removeLast();
		for (String source : paths) {
			copy(from.resolve(source.replaceFirst("^/", "")), path(target));
		}
	}

	/** Copies a file, or what a directory holds, as COPY does. */
	private static void copy(Path source, Path target) throws IOException {
		if (Files.isRegularFile(source)) {
			Files.createDirectories(target);
			Files.copy(source, target.resolve(source.getFileName()));
			return;
		}
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path copy = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(copy);
				}
				else {
					Files.copy(file, copy);
				}
			}
		}
	}

	private void assign(String keyword, String arguments) {
		for (String assignment : arguments.split("\\s+")) {
			String[] nameAndValue = assignment.split("=", 2);
			String value = (nameAndValue.length > 1) ? substitute(nameAndValue[1]) : "";
			this.variables.put(nameAndValue[0], value);
			if (keyword.equals("ENV")) {
				this.environment.put(nameAndValue[0], value);
			}
		}
	}

	private String substitute(String value) {
		Matcher variable = VARIABLE.matcher(value);
		return variable
			.replaceAll((match) -> Matcher.quoteReplacement(this.variables.getOrDefault(match.group(1), "")));
	}

	private void run(String command) throws IOException, InterruptedException {
		if (command.startsWith("mvn ") && this.builtJar != null) {
			copy(this.builtJar, this.workdir.resolve("target"));
		}
		else if (command.startsWith("mvn ") || command.startsWith("java ")) {
			Process process = start("run", List.of("sh", "-c", command), this.variables);
			assertThat(process.waitFor()).as(() -> "RUN " + command + " failed:\n" + log("run", 60)).isZero();
		}
	}

	/**
	 * A directory with the JDK running the tests and {@code mvn} standing for the
	 * wrapper.
	 */
	private String tools() throws IOException {
		Path tools = this.root.resolve("bin");
		if (!Files.exists(tools)) {
			Files.createDirectories(tools);
			Path mvn = Files.writeString(tools.resolve("mvn"),
					"#!/bin/sh\nexec '" + REPOSITORY.resolve("mvnw") + "' \"$@\"\n");
			Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		return tools + ":" + Path.of(System.getProperty("java.home"), "bin");
	}

	private Path log(String name) {
		return this.root.resolve(name + ".log");
	}

}

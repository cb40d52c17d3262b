package dockercoins.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The services laid out and started much as their images do: its jar extracted (the
 * application beside its libraries, {@code lib/}), its JVM flags ({@code jvm.options})
 * and one AOT cache ({@code <service>.aot}; the images split theirs in two, so that a
 * change to the sources leaves the dependencies' part as it was). The launcher's build
 * runs {@link #main} once to lay the four out in the launcher's jar; the launcher starts
 * them with {@link #javaCommand}.
 */
final class ServiceLayout {

	/** In the order the launcher starts them. */
	static final List<String> SERVICES = List.of("rng", "hasher", "webui", "worker");

	/**
	 * The training run goes up to the end of the start-up and sends no request (the
	 * images' training runs answer a request of each kind): a cache of the classes a
	 * start loads.
	 */
	private static final String TRAINING = "-Dspring.context.exit=onRefresh -Dserver.port=0";

	private ServiceLayout() {
	}

	/**
	 * Lays out each service, its jar found on this program's class path (the build puts
	 * the services' jars there): {@code args} are the repository (where each service's
	 * {@code jvm.options} is) and the folder to lay them out in. Uses the JDK that runs
	 * it, the one that builds (and most likely runs) the launcher.
	 */
	public static void main(String[] args) throws IOException, InterruptedException {
		Path repository = Path.of(args[0]);
		Path services = Files.createDirectories(Path.of(args[1]));
		List<Path> classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.map(Path::of)
			.toList();
		for (String service : SERVICES) {
			Path directory = services.resolve(service);
			run(services, Map.of(), java(), "-Djarmode=tools", "-jar", jar(classPath, service).toString(), "extract",
					"--force", "--destination", service);
			Files.copy(repository.resolve(service).resolve("jvm.options"), directory.resolve("jvm.options"),
					StandardCopyOption.REPLACE_EXISTING);
			run(directory, Map.of("JDK_JAVA_OPTIONS", TRAINING),
					command(service, "-XX:AOTCacheOutput=").toArray(String[]::new));
		}
	}

	/**
	 * The service's jar: {@code rng.jar} as the reactor builds it, {@code rng-0.1.0.jar}
	 * from a repository.
	 */
	private static Path jar(List<Path> classPath, String service) {
		return classPath.stream()
			.filter((path) -> path.getFileName().toString().matches(service + "(-[0-9][^-]*)?\\.jar"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No " + service + " jar on the class path " + classPath));
	}

	/**
	 * A service started as its image's ENTRYPOINT starts it, in the directory that holds
	 * its jar, its JVM flags and its AOT cache (which names the jar as the training run
	 * was given it).
	 */
	static List<String> javaCommand(String service) {
		return command(service, "-XX:AOTCache=");
	}

	/**
	 * The same command for the training run and the start: the cache wants the same
	 * flags.
	 */
	private static List<String> command(String service, String aotCacheOption) {
		return List.of(java(), "@jvm.options", aotCacheOption + service + ".aot", "-jar", service + ".jar");
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void run(Path directory, Map<String, String> environment, String... command)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).inheritIO();
		builder.environment().putAll(environment);
		int code = builder.start().waitFor();
		if (code != 0) {
			throw new IllegalStateException(String.join(" ", command) + " exited with code " + code);
		}
	}

}

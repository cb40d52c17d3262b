package dockercoins.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four images, built once per test run from their folders with the command of
 * docs/operations.md ({@code docker build -t dockercoins/<service>:v0.1 <service>}), for
 * every test that needs them.
 */
final class Images {

	static final List<String> SERVICES = List.of("rng", "hasher", "worker", "webui");

	private static boolean built;

	private Images() {
	}

	private static void build(String service) {
		Docker.run("docker", "build", "-t", name(service), service);
	}

	static String name(String service) {
		return "dockercoins/" + service + ":v0.1";
	}

	/**
	 * Copies a service's folder to {@code target} as a clone has it: its build context,
	 * without the build's output.
	 */
	static void copyBuildContext(String service, Path target) {
		for (String part : List.of("Dockerfile", "pom.xml", "jvm.options", "src")) {
			Docker.copy(Docker.REPOSITORY.resolve(service).resolve(part), target.resolve(part));
		}
	}

	/**
	 * Turns a copy of the worker's folder into the workshop's v0.01 (docs/workshop.md,
	 * step 8): the default of its sleep from 100ms to 10ms.
	 */
	static void shortenTheWorkersSleep(Path worker) throws IOException {
		Path properties = worker.resolve("src/main/java/dockercoins/worker/WorkerProperties.java");
		String source = Files.readString(properties);
		String edited = source.replace("@DefaultValue(\"100ms\") @DurationMin(millis = 0) Duration sleep",
				"@DefaultValue(\"10ms\") @DurationMin(millis = 0) Duration sleep");
		assertThat(edited).as("the line step 8 of the walk-through edits").isNotEqualTo(source);
		Files.writeString(properties, edited);
	}

	/**
	 * Makes sure the engine has an image: ours are built (once), the others must be
	 * there.
	 */
	static void require(String image) {
		if (image.startsWith("dockercoins/")) {
			build();
		}
		assertThat(Docker.succeeds("docker", "image", "inspect", image)).as("the image %s", image).isTrue();
	}

	/**
	 * Builds the images, the first time only; the builder's cache makes later builds
	 * quick. The first is built alone, the other three side by side: most of a build is
	 * waiting for Maven Central, but the legacy builder takes the newest of equal layers,
	 * so images built side by side from nothing would each make their own copy of the
	 * first layers they share (WORKDIR, the curl package), and a later build of the same
	 * folder, Compose's, would follow another image's copy and miss its cache.
	 */
	static synchronized void build() {
		Docker.requireEngine();
		if (!built) {
			build(SERVICES.getFirst());
			try (ExecutorService builds = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<?>> done = SERVICES.stream()
					.skip(1)
					.<Future<?>>map((service) -> builds.submit(() -> build(service)))
					.toList();
				for (Future<?> build : done) {
					build.get();
				}
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof AssertionError failed) {
					throw failed;
				}
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			built = true;
		}
	}

}

package dockercoins.containers;

import java.util.List;

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

	static String name(String service) {
		return "dockercoins/" + service + ":v0.1";
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
	 * quick.
	 */
	static synchronized void build() {
		Docker.requireEngine();
		if (!built) {
			for (String service : SERVICES) {
				Docker.run("docker", "build", "-t", name(service), service);
			}
			built = true;
		}
	}

}

package dockercoins.launcher;

import java.nio.file.Path;

/** Where the end-to-end tests find the repository. */
final class Tools {

	/** The repository; the end-to-end tests run in the launcher module. */
	static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

	private Tools() {
	}

}

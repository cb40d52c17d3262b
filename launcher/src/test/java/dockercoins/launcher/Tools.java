package dockercoins.launcher;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/** What the end-to-end tests need besides the JDK, and where they find the repository. */
final class Tools {

	/** The repository; the end-to-end tests run in the launcher module. */
	static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

	private Tools() {
	}

	/**
	 * Skips the test where a tool is missing, saying what to install; in CI (CI=true),
	 * where every tool must be there, fails it.
	 */
	static void require(boolean present, String missing) {
		if (present) {
			return;
		}
		if ("true".equals(System.getenv("CI"))) {
			fail(missing + " (CI=true: a test whose tool is missing fails)");
		}
		System.err.println("Skipped: " + missing);
		abort(missing);
	}

}

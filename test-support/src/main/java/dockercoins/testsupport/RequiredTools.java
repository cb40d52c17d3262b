package dockercoins.testsupport;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * What a test needs besides the JDK (a browser, Prometheus, a Docker engine, the
 * original's code): where it is missing the test is skipped, saying what to install; in
 * CI ({@code CI=true}), where every tool must be there, it fails.
 */
public final class RequiredTools {

	private RequiredTools() {
	}

	/**
	 * Goes on only if {@code present}; otherwise skips or fails, with {@code missing}.
	 */
	public static void require(boolean present, String missing) {
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

package dockercoins.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import dockercoins.testsupport.RequiredTools;

/**
 * The original's code and tools for the tests: where they are missing, a test fails in CI
 * ({@code CI=true}) and is skipped elsewhere, saying what to install.
 */
final class OriginalCode {

	private OriginalCode() {
	}

	/** The original's dockercoins folder, from the build's {@code original.directory}. */
	static Path directory() {
		Path directory = Path.of(System.getProperty("original.directory", OriginalSources.DEFAULT_DIRECTORY));
		RequiredTools.require(Files.isRegularFile(directory.resolve("worker/worker.py")),
				"The original's code is not in " + directory.toAbsolutePath()
						+ ": give its dockercoins folder with -Doriginal.directory=...");
		return directory;
	}

	/** The interpreters that run the original, with its libraries. */
	static OriginalTools tools() {
		try {
			return OriginalTools.find();
		}
		catch (IllegalStateException ex) {
			RequiredTools.require(false, ex.getMessage());
			return null;
		}
	}

}

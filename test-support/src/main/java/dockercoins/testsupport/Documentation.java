package dockercoins.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the documents define for the code: the tests of each side of a contract read it
 * from there, so that the document is its one definition.
 */
public final class Documentation {

	/** The first JSON block of the section "The fleet record" of docs/webui.md. */
	private static final Pattern FLEET_RECORD = Pattern.compile("(?s)\n## The fleet record\n.*?```json\n(.*?)```");

	private Documentation() {
	}

	/** The example of the fleet record that the workers write and the web UI reads. */
	public static String fleetRecordExample() {
		Matcher example = FLEET_RECORD.matcher(read("docs/webui.md"));
		if (!example.find()) {
			throw new IllegalStateException("No JSON example under \"## The fleet record\" in docs/webui.md");
		}
		return example.group(1);
	}

	/** A document of the repository, found from the module the tests run in. */
	private static String read(String document) {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			Path path = directory.resolve(document);
			if (Files.isRegularFile(path)) {
				try {
					return Files.readString(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
		throw new IllegalStateException(document + " not found above " + Path.of("").toAbsolutePath());
	}

}

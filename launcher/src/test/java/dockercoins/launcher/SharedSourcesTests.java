package dockercoins.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service directory is a complete Docker build context, so the few classes several
 * services need are copied into each of them rather than shared through a library. This
 * keeps the copies identical but for their package.
 */
class SharedSourcesTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "main/java/dockercoins/*/RequestSlots.java, rng hasher" })
	void copiesAreTheSameButForTheirPackage(String path, String services) {
		List<String> copies = List.of(services.split(" "))
			.stream()
			.map((service) -> read(service, path.replace("*", service)))
			.toList();
		assertThat(copies).allSatisfy((copy) -> assertThat(copy).isEqualTo(copies.get(0)));
	}

	private static String read(String service, String path) {
		try {
			String source = Files.readString(Tools.REPOSITORY.resolve(service).resolve("src").resolve(path));
			return source.replace("package dockercoins." + service + ";", "package dockercoins.<service>;");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

package dockercoins.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OriginalToolsTests {

	@Test
	void saysWhichDebianPackagesToInstall() {
		assertThatIllegalStateException()
			.isThrownBy(() -> OriginalTools.find(List.of("/nonexistent/python3"), List.of("/nonexistent/ruby")))
			.withMessage("The original stack needs Debian's python3-flask, python3-redis, python3-requests, "
					+ "ruby-sinatra, thin: apt-get install python3-flask python3-redis python3-requests ruby-sinatra thin");
	}

}

package dockercoins.launcher;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import dockercoins.testsupport.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PortInUseEndToEndTests {

	@Test
	void namesTheTakenPortAndExitsWithAnError() throws Exception {
		int port = FreePorts.firstOf(4);
		try (ServerSocket taken = new ServerSocket(port + 2, 1, InetAddress.getLoopbackAddress());
				LaunchedStack stack = LaunchedStack.startAt(port)) {
			assertThat(stack.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(stack.process().exitValue()).isEqualTo(1);
			assertThat(stack.output()).contains("launcher | Port " + (port + 2)
					+ " (hasher) is already in use: stop what uses it, or choose other ports with --port.");
			// It checks every port before it starts anything: no service wrote a line.
			assertThat(stack.output()).allMatch((line) -> line.startsWith("launcher | "));
		}
	}

}

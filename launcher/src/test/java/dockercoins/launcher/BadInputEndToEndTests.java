package dockercoins.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests, sent byte for byte to each service of a running stack:
 * each gets a 4xx with a short problem detail (or, for what Tomcat rejects before any
 * servlet runs, its minimal error page), never a stack trace, and the service stays
 * healthy.
 */
class BadInputEndToEndTests {

	private static final Map<String, Integer> OFFSETS = Map.of("webui", 0, "rng", 1, "hasher", 2, "worker", 3);

	private static final String END = "Host: localhost\r\nConnection: close\r\n\r\n";

	private static LaunchedStack stack;

	@BeforeAll
	static void launch() throws Exception {
		// A short read timeout, for the request whose body stalls.
		stack = LaunchedStack.start(3, "--env", "SERVER_TOMCAT_CONNECTION_TIMEOUT=2s");
		stack.awaitReady();
	}

	@AfterAll
	static void stop() throws Exception {
		if (stack != null) {
			stack.close();
		}
	}

	static Stream<Arguments> badRequests() {
		return Stream.of(
				// Wrong methods.
				bad("rng", 405, "POST /32 HTTP/1.1\r\nContent-Length: 0\r\n" + END),
				bad("rng", 405, "DELETE / HTTP/1.1\r\n" + END),
				bad("hasher", 405, "PUT / HTTP/1.1\r\nContent-Length: 5\r\n" + END + "hello"),
				bad("webui", 405, "POST /json HTTP/1.1\r\nContent-Length: 2\r\n" + END + "{}"),
				bad("rng", 405, "BREW /32 HTTP/1.1\r\n" + END),
				// Counts that are not a whole number of bytes, or too many.
				bad("rng", 400, "GET /abc HTTP/1.1\r\n" + END), bad("rng", 400, "GET /-1 HTTP/1.1\r\n" + END),
				bad("rng", 400, "GET /1e3 HTTP/1.1\r\n" + END), bad("rng", 400, "GET /0x20 HTTP/1.1\r\n" + END),
				bad("rng", 400, "GET /99999999999999999999 HTTP/1.1\r\n" + END),
				bad("rng", 400, "GET /1048577 HTTP/1.1\r\n" + END),
				// Bodies: too big, cut short, malformed, stalled.
				bad("hasher", 413, "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n" + END + "x".repeat(1000)),
				bad("hasher", 413,
						"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + END
								+ ("10000\r\n" + "x".repeat(0x10000) + "\r\n").repeat(17) + "0\r\n\r\n"),
				unreadableBody(400, Sending.HALF_CLOSE, "POST / HTTP/1.1\r\nContent-Length: 100\r\n" + END + "short"),
				unreadableBody(400, Sending.HALF_CLOSE,
						"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + END + "5\r\nhe"),
				unreadableBody(400, Sending.AT_ONCE,
						"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + END + "zz\r\nhello\r\n0\r\n\r\n"),
				rejectedByTomcat("hasher", 400, "POST / HTTP/1.1\r\nContent-Length: five\r\n" + END),
				rejectedByTomcat("hasher", 400,
						"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n" + END + "hello!"),
				unreadableBody(408, Sending.STALL, "POST / HTTP/1.1\r\nContent-Length: 10\r\n" + END + "abc"),
				// Path traversal towards the web UI's files and beyond.
				rejectedByTomcat("webui", 400, "GET /../application.properties HTTP/1.1\r\n" + END),
				rejectedByTomcat("webui", 400, "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + END),
				rejectedByTomcat("webui", 400, "GET /..%2fapplication.properties HTTP/1.1\r\n" + END),
				rejectedByTomcat("webui", 400, "GET /..%5c..%5cetc%5cpasswd HTTP/1.1\r\n" + END),
				bad("webui", 404, "GET /static/../application.properties HTTP/1.1\r\n" + END),
				bad("webui", 404, "GET /application.properties HTTP/1.1\r\n" + END),
				bad("webui", 404, "GET /dockercoins/webui/WebuiApplication.class HTTP/1.1\r\n" + END),
				rejectedByTomcat("webui", 400, "GET /index.html%00.js HTTP/1.1\r\n" + END),
				// Wrong content types asked for.
				bad("webui", 406, "GET /json HTTP/1.1\r\nAccept: text/csv\r\n" + END),
				bad("webui", 406, "GET /fleet.json HTTP/1.1\r\nAccept: application/xml\r\n" + END),
				// Headers too large, a request line that is not HTTP.
				rejectedByTomcat("rng", 400, "GET /32 HTTP/1.1\r\nX-Padding: " + "a".repeat(20_000) + "\r\n" + END),
				rejectedByTomcat("hasher", 400, "GET / HTTP/1.1\r\n" + "X-Many: a\r\n".repeat(2000) + END),
				rejectedByTomcat("webui", 400, "this is not HTTP\r\n\r\n"),
				// Unknown paths, and actuator endpoints that must not be exposed.
				bad("rng", 404, "GET /32/more HTTP/1.1\r\n" + END),
				bad("hasher", 404, "POST /x HTTP/1.1\r\nContent-Length: 0\r\n" + END),
				bad("worker", 404, "GET / HTTP/1.1\r\n" + END),
				bad("webui", 404, "GET /actuator/env HTTP/1.1\r\n" + END),
				bad("worker", 404, "GET /actuator/env HTTP/1.1\r\n" + END),
				bad("rng", 404, "GET /actuator/heapdump HTTP/1.1\r\n" + END),
				bad("hasher", 404, "GET /actuator/heapdump HTTP/1.1\r\n" + END),
				bad("worker", 404, "GET /actuator/threaddump HTTP/1.1\r\n" + END),
				bad("worker", 404, "POST /actuator/shutdown HTTP/1.1\r\nContent-Length: 0\r\n" + END),
				bad("webui", 404, "GET /actuator/configprops HTTP/1.1\r\n" + END));
	}

	@ParameterizedTest(name = "{0} {1}: {4}")
	@MethodSource("badRequests")
	void answersA4xxWithAShortProblemDetailAndStaysHealthy(String service, int status, Format format, Sending sending,
			String request) throws Exception {
		int port = stack.port + OFFSETS.get(service);
		Answer answer = send(port, request, sending);
		assertThat(answer.status()).as(answer.text()).isEqualTo(status);
		assertThat(answer.body()).as(answer.text())
			.hasSizeLessThan(600)
			.doesNotContain("Exception", "exception", "\tat ", "java.", "springframework", "Tomcat", "tomcat");
		switch (format) {
			case PROBLEM_DETAIL -> {
				assertThat(answer.contentType()).as(answer.text()).isEqualTo("application/problem+json");
				assertThat(answer.body()).contains("\"status\":" + status + ",").doesNotContain("<");
			}
			case ERROR_PAGE -> {
				assertThat(answer.contentType()).as(answer.text()).isEqualTo("application/json");
				assertThat(answer.body()).contains("\"status\":" + status + ",").doesNotContain("<");
			}
			case TOMCAT_PAGE -> {
				assertThat(answer.contentType()).as(answer.text()).isEqualTo("text/html");
				assertThat(answer.body()).contains("<h1>HTTP Status " + status + " ");
			}
		}
		assertThat(send(port, "GET /actuator/health HTTP/1.1\r\n" + END, Sending.AT_ONCE).status()).isEqualTo(200);
	}

	/**
	 * A body on a {@code GET} has no meaning (RFC 9110), and does no harm: it is read and
	 * ignored, and the request is answered as without it.
	 */
	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("getsWithABody")
	void ignoresTheBodyOfAGet(String service, String request) throws Exception {
		int port = stack.port + OFFSETS.get(service);
		Answer answer = send(port, request, Sending.AT_ONCE);
		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		assertThat(send(port, "GET /actuator/health HTTP/1.1\r\n" + END, Sending.AT_ONCE).status()).isEqualTo(200);
	}

	static Stream<Arguments> getsWithABody() {
		return Stream.of(Arguments.of("rng", "GET /32 HTTP/1.1\r\nContent-Length: 5\r\n" + END + "hello"),
				Arguments.of("webui",
						"GET /json HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + END + "5\r\nhello\r\n0\r\n\r\n"),
				Arguments.of("hasher", "GET / HTTP/1.1\r\nContent-Length: 3\r\n" + END + "abc"));
	}

	@Test
	void exposesOnlyHealthInfoAndPrometheus() throws Exception {
		for (int offset : OFFSETS.values()) {
			Answer actuator = send(stack.port + offset, "GET /actuator HTTP/1.1\r\n" + END, Sending.AT_ONCE);
			Matcher links = Pattern.compile("\"([a-z-]+)\":\\{\"href\"").matcher(actuator.body());
			List<String> endpoints = links.results().map((link) -> link.group(1)).distinct().toList();
			assertThat(endpoints).containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
		}
	}

	private static Arguments bad(String service, int status, String request) {
		return Arguments.of(service, status, Format.PROBLEM_DETAIL, Sending.AT_ONCE, request);
	}

	/** A body that hasher cannot read to its end. */
	private static Arguments unreadableBody(int status, Sending sending, String request) {
		return Arguments.of("hasher", status, Format.ERROR_PAGE, sending, request);
	}

	private static Arguments rejectedByTomcat(String service, int status, String request) {
		return Arguments.of(service, status, Format.TOMCAT_PAGE, Sending.AT_ONCE, request);
	}

	/** How an error is answered. */
	enum Format {

		/** What Spring MVC rejects: an RFC 9457 problem detail. */
		PROBLEM_DETAIL,
		/**
		 * What the servlet container rejects while a servlet runs (a body it cannot
		 * read): Spring Boot's error page, in JSON.
		 */
		ERROR_PAGE,
		/**
		 * What Tomcat rejects before any servlet runs: its minimal page, without server
		 * information.
		 */
		TOMCAT_PAGE

	}

	/** How the request is sent. */
	enum Sending {

		/** All of it, then wait for the answer. */
		AT_ONCE,
		/** All of it, then close the sending side: the body ends early. */
		HALF_CLOSE,
		/** All of it, then nothing more, the connection left open: the body stalls. */
		STALL

	}

	private static Answer send(int port, String request, Sending sending) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer and close before it has read everything sent.
			}
			if (sending == Sending.HALF_CLOSE) {
				socket.shutdownOutput();
			}
			return Answer.of(readAll(socket.getInputStream()));
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
				all.write(buffer, 0, read);
			}
		}
		catch (java.net.SocketException ex) {
			// Reset after the answer, when the server closes with unread input.
		}
		return all.toByteArray();
	}

	/** An HTTP/1.1 answer, its body unchunked. */
	record Answer(int status, String text, String contentType, String body) {

		private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");

		private static final Pattern CONTENT_TYPE = Pattern.compile("(?im)^content-type: *([^;\\r]+)");

		static Answer of(byte[] bytes) {
			String text = new String(bytes, StandardCharsets.ISO_8859_1);
			Matcher status = STATUS.matcher(text);
			assertThat(status.lookingAt()).as("an HTTP answer: '%s'", text).isTrue();
			int split = text.indexOf("\r\n\r\n");
			String head = text.substring(0, split);
			String body = text.substring(split + 4);
			if (head.toLowerCase().contains("transfer-encoding: chunked")) {
				body = unchunk(body);
			}
			Matcher contentType = CONTENT_TYPE.matcher(head);
			return new Answer(Integer.parseInt(status.group(1)), text, contentType.find() ? contentType.group(1) : "",
					body);
		}

		private static String unchunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
		}

	}

}

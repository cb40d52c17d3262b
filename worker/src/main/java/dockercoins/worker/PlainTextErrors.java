package dockercoins.worker;

import java.io.IOException;
import java.io.Writer;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers every failed request with its status and a one-line text body, never a stack
 * trace: whether the error comes from a controller, from the servlet container's error
 * page, or from Tomcat itself before any servlet runs.
 */
@RestControllerAdvice
class PlainTextErrors {

	private static final Logger logger = LoggerFactory.getLogger(PlainTextErrors.class);

	@ExceptionHandler
	ResponseEntity<String> handle(Exception ex) {
		if (ex instanceof ErrorResponse error) {
			// Its headers too: Allow on a 405, Retry-After on a 503.
			return text(error.getStatusCode(), error.getHeaders(), error.getBody().getDetail());
		}
		logger.error("Request failed", ex);
		return text(HttpStatus.INTERNAL_SERVER_ERROR, HttpHeaders.EMPTY, "Internal error");
	}

	private static ResponseEntity<String> text(HttpStatusCode status, HttpHeaders headers, String message) {
		return ResponseEntity.status(status).headers(headers).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
	}

	private static String reason(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() : "Error " + status;
	}

	/**
	 * The error page for what the servlet container rejects itself (a malformed chunked
	 * body, for one), in place of Spring Boot's JSON or HTML one.
	 */
	@RestController
	static class ErrorPage implements ErrorController {

		@RequestMapping("${server.error.path:/error}")
		ResponseEntity<String> error(HttpServletRequest request) {
			Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
			int status = (code instanceof Integer number && number >= 400) ? number : 500;
			return text(HttpStatusCode.valueOf(status), HttpHeaders.EMPTY, reason(status));
		}

	}

	/**
	 * Tomcat answers some requests before any servlet runs (a malformed request line,
	 * headers too large, an encoded dot or slash in the path) with an HTML page; this
	 * answers them in one line of text as well.
	 */
	@Component
	static class TomcatErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			// The host adds this valve when it starts, after Spring Boot's own, so it
			// answers first.
			factory.addContextCustomizers((context) -> ((StandardHost) context.getParent())
				.setErrorReportValveClass(TextErrorReportValve.class.getName()));
		}

	}

	public static class TextErrorReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			try {
				response.setContentType("text/plain");
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(reason(status) + "\n");
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The connection is gone: there is no one to answer.
			}
		}

	}

}

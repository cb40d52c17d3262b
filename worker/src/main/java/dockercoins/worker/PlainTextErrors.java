package dockercoins.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers every failed request with its status and a one-line text body, never a stack
 * trace.
 */
@RestControllerAdvice
class PlainTextErrors {

	private static final Logger logger = LoggerFactory.getLogger(PlainTextErrors.class);

	@ExceptionHandler
	ResponseEntity<String> handle(Exception ex) {
		if (ex instanceof ErrorResponse error) {
			return text(error.getStatusCode(), error.getBody().getDetail());
		}
		logger.error("Request failed", ex);
		return text(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");
	}

	private static ResponseEntity<String> text(HttpStatusCode status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
	}

}

package dockercoins.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * A step of the mining loop failed; the message names the step and the address that
 * failed.
 */
class StepFailedException extends RuntimeException {

	private final String step;

	StepFailedException(String step, String address, Throwable cause) {
		super(step + " at " + address + " failed: " + describe(cause), cause);
		this.step = step;
	}

	String step() {
		return this.step;
	}

	/**
	 * The messages of the cause chain, each once: the outer ones often omit the host and
	 * port, and often repeat the inner ones.
	 */
	private static String describe(Throwable cause) {
		List<String> messages = new ArrayList<>();
		for (Throwable ex = cause; ex != null; ex = ex.getCause()) {
			String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
			if (messages.stream().noneMatch((known) -> known.contains(message))) {
				messages.add(message);
			}
		}
		return String.join(": ", messages);
	}

}

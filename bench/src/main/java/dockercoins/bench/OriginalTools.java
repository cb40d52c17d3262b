package dockercoins.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The interpreters that run the original stack, each one able to load the libraries the
 * original uses, as Debian packages them.
 *
 * @param python a Python 3 with Flask, redis-py and Requests (rng, worker)
 * @param ruby a Ruby with Sinatra and Thin (hasher; Thin, as in the original's image)
 */
record OriginalTools(String python, String ruby) {

	/** Debian's own interpreter first: that is where Debian's packages install. */
	static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");

	static final List<String> RUBIES = List.of("/usr/bin/ruby", "ruby");

	/** Each library the original loads, with the Debian package that provides it. */
	static final Map<String, String> PYTHON_LIBRARIES = ordered("flask", "python3-flask", "redis", "python3-redis",
			"requests", "python3-requests");

	static final Map<String, String> RUBY_LIBRARIES = ordered("sinatra/base", "ruby-sinatra", "thin", "thin");

	/** Finds the tools, or fails saying which Debian packages to install. */
	static OriginalTools find() {
		return find(PYTHONS, RUBIES);
	}

	static OriginalTools find(List<String> pythons, List<String> rubies) {
		List<String> missing = new ArrayList<>();
		String python = firstWithAll(pythons, PYTHON_LIBRARIES, missing, (library) -> "import " + library, "-c");
		String ruby = firstWithAll(rubies, RUBY_LIBRARIES, missing, (library) -> "require '" + library + "'", "-e");
		if (!missing.isEmpty()) {
			throw new IllegalStateException("The original stack needs Debian's " + String.join(", ", missing)
					+ ": apt-get install " + String.join(" ", missing));
		}
		return new OriginalTools(python, ruby);
	}

	/**
	 * The first interpreter that loads every library; else null, and the packages that
	 * the best one lacks are added to {@code missing}.
	 */
	private static String firstWithAll(List<String> interpreters, Map<String, String> libraries, List<String> missing,
			Function<String, String> load, String evaluate) {
		List<String> fewest = List.copyOf(libraries.values());
		for (String interpreter : interpreters) {
			List<String> lacking = libraries.entrySet()
				.stream()
				.filter((library) -> !runs(interpreter, evaluate, load.apply(library.getKey())))
				.map(Map.Entry::getValue)
				.toList();
			if (lacking.isEmpty()) {
				return interpreter;
			}
			if (lacking.size() < fewest.size()) {
				fewest = lacking;
			}
		}
		missing.addAll(fewest);
		return null;
	}

	/** Whether the interpreter runs this one line with success. */
	private static boolean runs(String interpreter, String evaluate, String line) {
		try {
			Process process = new ProcessBuilder(interpreter, evaluate, line).redirectErrorStream(true).start();
			process.getInputStream().transferTo(OutputStream.nullOutputStream());
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			// No such interpreter.
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static Map<String, String> ordered(String... pairs) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put(pairs[i], pairs[i + 1]);
		}
		return map;
	}

}

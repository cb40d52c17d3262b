package dockercoins.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The benchmark's results as a table (Markdown, so that it pastes into a document), CSV
 * or JSON; the original's columns are empty when it was not measured.
 */
final class BenchReport {

	private static final List<String> HEADER = List.of("configuration", "hashes/s", "model", "ratio", "original",
			"vs original", "CPU (cores): worker", "rng", "hasher", "webui", "redis", "total");

	private final List<BenchResult> results;

	BenchReport(List<BenchResult> results) {
		this.results = List.copyOf(results);
	}

	/** A Markdown table, its columns aligned. */
	String table() {
		List<List<String>> rows = new ArrayList<>();
		rows.add(HEADER);
		for (BenchResult result : this.results) {
			List<String> row = new ArrayList<>(
					List.of(result.config().name(), rate(result.hashesPerSecond()), rate(result.config().model()),
							ratio(result.ratio()), rate(result.original()), ratio(result.versusOriginal())));
			Arrays.stream(BenchResult.SERVICES).map((service) -> cores(result.cores(service))).forEach(row::add);
			row.add(cores(result.totalCores()));
			rows.add(row);
		}
		return markdown(rows);
	}

	/**
	 * A Markdown table of these rows, the first the header, its columns aligned: the
	 * first to the left, the others (numbers) to the right.
	 */
	static String markdown(List<List<String>> rows) {
		int[] widths = new int[rows.getFirst().size()];
		rows.forEach((row) -> {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		});
		StringBuilder table = new StringBuilder();
		for (int r = 0; r < rows.size(); r++) {
			table.append(line(rows.get(r), widths));
			if (r == 0) {
				table.append(line(Arrays.stream(widths).mapToObj("-"::repeat).toList(), widths));
			}
		}
		return table.toString();
	}

	String csv() {
		StringBuilder csv = new StringBuilder(
				"configuration,workers,rng,environment,hashes_per_second,model,ratio,original,vs_original,"
						+ Arrays.stream(BenchResult.SERVICES)
							.map((service) -> "cpu_" + service)
							.collect(Collectors.joining(","))
						+ ",cpu_total\n");
		for (BenchResult result : this.results) {
			BenchConfig config = result.config();
			List<String> fields = new ArrayList<>(List.of(quoted(config.name()), String.valueOf(config.workers()),
					String.valueOf(config.rngInstances()), quoted(environment(config.environment())),
					number(result.hashesPerSecond()), number(config.model()), number(result.ratio()),
					number(result.original()), number(result.versusOriginal())));
			Arrays.stream(BenchResult.SERVICES).map((service) -> number(result.cores(service))).forEach(fields::add);
			fields.add(number(result.totalCores()));
			csv.append(String.join(",", fields)).append('\n');
		}
		return csv.toString();
	}

	String json() {
		List<String> objects = new ArrayList<>();
		for (BenchResult result : this.results) {
			BenchConfig config = result.config();
			String environment = new TreeMap<>(config.environment()).entrySet()
				.stream()
				.map((variable) -> string(variable.getKey()) + ": " + string(variable.getValue()))
				.collect(Collectors.joining(", ", "{", "}"));
			String cores = Arrays.stream(BenchResult.SERVICES)
				.map((service) -> string(service) + ": " + number(result.cores(service)))
				.collect(Collectors.joining(", ", "{", "}"));
			objects.add("  {\"configuration\": " + string(config.name()) + ", \"workers\": " + config.workers()
					+ ", \"rng\": " + config.rngInstances() + ", \"environment\": " + environment
					+ ", \"hashesPerSecond\": " + number(result.hashesPerSecond()) + ", \"model\": "
					+ json(config.model()) + ", \"ratio\": " + json(result.ratio()) + ", \"original\": "
					+ json(result.original()) + ", \"vsOriginal\": " + json(result.versusOriginal()) + ", \"cores\": "
					+ cores + "}");
		}
		return "[\n" + String.join(",\n", objects) + "\n]\n";
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder("|");
		for (int i = 0; i < cells.size(); i++) {
			String cell = cells.get(i);
			// Numbers to the right, names to the left.
			String format = (i == 0) ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
			line.append(' ').append(String.format(Locale.ROOT, format, cell)).append(" |");
		}
		return line.append('\n').toString();
	}

	private static String rate(double rate) {
		return String.format(Locale.ROOT, (rate < 100) ? "%.1f" : "%.0f", rate);
	}

	private static String rate(OptionalDouble rate) {
		return rate.isPresent() ? rate(rate.getAsDouble()) : "-";
	}

	private static String ratio(OptionalDouble ratio) {
		return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "-";
	}

	private static String cores(double cores) {
		return String.format(Locale.ROOT, "%.2f", cores);
	}

	private static String number(double number) {
		return String.format(Locale.ROOT, "%.3f", number);
	}

	private static String number(OptionalDouble number) {
		return number.isPresent() ? number(number.getAsDouble()) : "";
	}

	private static String json(OptionalDouble number) {
		return number.isPresent() ? number(number.getAsDouble()) : "null";
	}

	private static String environment(Map<String, String> environment) {
		return new TreeMap<>(environment).entrySet()
			.stream()
			.map((variable) -> variable.getKey() + "=" + variable.getValue())
			.collect(Collectors.joining(" "));
	}

	private static String quoted(String field) {
		return "\"" + field.replace("\"", "\"\"") + "\"";
	}

	private static String string(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}

package dockercoins.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's resident memory, in kB, from Linux's {@code /proc/<pid>/status}.
 *
 * @param total {@code VmRSS}: what {@code ps} and {@code top} show
 * @param own {@code RssAnon}: the process's own (heap, metaspace, compiled code, stacks)
 * @param files {@code RssFile}: mapped files (the JDK's modules, CDS and AOT caches),
 * shared with every process that maps the same files
 */
record ResidentMemory(long total, long own, long files) {

	/** The process's memory now, or empty once it is gone. */
	static Optional<ResidentMemory> of(ProcessHandle process) {
		try {
			String status = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "status"));
			return Optional.of(new ResidentMemory(kilobytes(status, "VmRSS"), kilobytes(status, "RssAnon"),
					kilobytes(status, "RssFile")));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static long kilobytes(String status, String key) {
		return status.lines()
			.filter((line) -> line.startsWith(key + ":"))
			.map((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElse(0L);
	}

}

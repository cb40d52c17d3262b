package dockercoins.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stack being measured: ours, started by the launcher, or the original. */
interface RunningStack extends AutoCloseable {

	/**
	 * The stack's processes that are still running, by a name made of their service and
	 * their process id ({@code rng-4242}).
	 */
	Map<String, ProcessHandle> processes();

	/**
	 * The CPU time, in nanoseconds, that each of the stack's processes has used so far,
	 * by the names of {@link #processes()}.
	 */
	default Map<String, Long> cpuTimes() {
		Map<String, Long> times = new LinkedHashMap<>();
		processes().forEach(
				(name, process) -> times.put(name, process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos()));
		return times;
	}

	/** Stops every process of the stack and waits until they are gone. */
	@Override
	void close();

}

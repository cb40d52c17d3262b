package dockercoins.bench;

import java.time.Duration;
import java.util.Map;

/** A stack being measured: ours, started by the launcher, or the original. */
interface RunningStack extends AutoCloseable {

	/**
	 * The CPU time, in nanoseconds, that each of the stack's processes has used so far,
	 * by a name made of its service and its process id ({@code rng-4242}).
	 */
	Map<String, Long> cpuTimes();

	/** Stops every process of the stack and waits until they are gone. */
	@Override
	void close();

	/** The CPU time (user and system) a process has used so far, in nanoseconds. */
	static long cpuTime(ProcessHandle process) {
		return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
	}

}

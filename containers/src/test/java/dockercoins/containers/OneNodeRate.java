package dockercoins.containers;

import java.time.Duration;
import java.util.Map;

/**
 * The speed of 10 workers and 5 rng on one node, as SwarmEndToEndTests measures it in its
 * step 4, for SwarmClusterEndToEndTests to compare the cluster's with in the same run.
 * Both measure it the same way, here: a 5% bound needs more than the 15 s of
 * {@link WebUi#steadyRate()}, whose figure, taken within 30 s of the deploy, still climbs
 * by 3-5% as the 17 JVMs warm up (BENCHMARKS.md, "Comparing two stacks' speeds").
 */
final class OneNodeRate {

	/**
	 * From the last of the 10 workers reporting: the first minute's climb is over by
	 * then.
	 */
	private static final Duration WARM_UP = Duration.ofSeconds(45);

	/** Windows this long spread by about 1% (sd) once warm. */
	private static final Duration WINDOW = Duration.ofSeconds(60);

	private static volatile double rate = Double.NaN;

	private OneNodeRate() {
	}

	/** The speed of 10 workers of v0.1, once all have reported and warmed up. */
	static double measure(WebUi webui) throws InterruptedException {
		webui.awaitVersions(Map.of("v0.1", 10));
		Thread.sleep(WARM_UP);
		return webui.rate(WINDOW);
	}

	/** Keeps the figure, and answers it. */
	static double record(double measured) {
		rate = measured;
		return measured;
	}

	/** The figure, or NaN when SwarmEndToEndTests has not measured it in this run. */
	static double get() {
		return rate;
	}

}

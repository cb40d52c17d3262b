package dockercoins.containers;

/**
 * The speed of 10 workers and 5 rng on one node, as SwarmEndToEndTests measures it in its
 * step 4, for SwarmClusterEndToEndTests to compare the cluster's with in the same run.
 */
final class OneNodeRate {

	private static volatile double rate = Double.NaN;

	private OneNodeRate() {
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

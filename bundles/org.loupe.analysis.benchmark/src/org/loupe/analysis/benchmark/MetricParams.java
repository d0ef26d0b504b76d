package org.loupe.analysis.benchmark;

/**
 * What the parameters of every metric analysis have: the method scored, and how many images go through it at once.
 *
 * @since 0.1
 */
public interface MetricParams {

    /** The explanation method, by name (see {@link BenchmarkExplainers#find}). */
    String method();

    /** Images per pass of the method. */
    int batchSize();
}

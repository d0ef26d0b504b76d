package org.loupe.analysis.featureviz.internal;

import java.util.Arrays;
import java.util.Locale;

/**
 * The wall time of an optimisation's steps, told each step as it ends: the first step (which
 * carries the engine's warm-up) apart, and the median of the others, the steady pace that a longer
 * run keeps.
 */
public final class StepClock {

    private final long start = System.nanoTime();
    private final long[] ends;
    private int count;

    /** A clock for a run of {@code steps} steps, started now. */
    public StepClock(int steps) {
        this.ends = new long[steps];
    }

    /** The step that just ended. */
    public void stepEnded() {
        if (count < ends.length) {
            ends[count++] = System.nanoTime();
        }
    }

    /** The first step's milliseconds (NaN before it ended). */
    public double firstMillis() {
        return count == 0 ? Double.NaN : (ends[0] - start) / 1e6;
    }

    /** The median milliseconds of the steps after the first (the first's if there was one step; NaN before any). */
    public double medianMillis() {
        if (count < 2) {
            return firstMillis();
        }
        long[] d = new long[count - 1];
        for (int i = 1; i < count; i++) {
            d[i - 1] = ends[i] - ends[i - 1];
        }
        Arrays.sort(d);
        return (d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2.0) / 1e6;
    }

    /** For a summary: "median step 48.2 ms (20.7 steps/s; the first took 1.93 s)". */
    public String describe() {
        double m = medianMillis();
        return String.format(Locale.ROOT, "median step %.1f ms (%.1f steps/s; the first took %.2f s)", m, 1000 / m, firstMillis() / 1000);
    }
}

package org.loupe.analysis.featureviz;

import java.util.Random;

/** Seeded noise for initialisations: every draw of a run comes from the run's {@link Random}. */
final class Noise {

    private Noise() {
    }

    /** {@code n} values from a normal distribution with mean 0 and standard deviation {@code sd}. */
    static float[] gaussian(Random random, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * sd);
        }
        return v;
    }
}

package org.loupe.models.tests;

import org.opentest4j.AssertionFailedError;

/**
 * Comparison relative to the reference tensor's own scale (its largest magnitude, with no floor of
 * 1), so small tensors such as input gradients are held to the same relative precision as logits.
 */
final class Rel {

    private Rel() {
    }

    /**
     * Asserts {@code max|actual - expected| <= tol * max|expected|}.
     *
     * @return {max absolute difference, max absolute difference / max|expected|}
     */
    static double[] assertClose(float[] expected, float[] actual, double tol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        if (scale == 0) {
            scale = 1;
        }
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d) || d > worst) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        if (!(worst <= tol * scale)) {
            throw new AssertionFailedError(String.format("%s: max |diff| %.3g at index %d (expected %g, got %g) exceeds %.1g x scale %.4g",
                    what, worst, at, expected[at], actual[at], tol, scale));
        }
        return new double[] {worst, worst / scale};
    }
}

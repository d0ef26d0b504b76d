package org.loupe.testing;

import org.opentest4j.AssertionFailedError;

/**
 * Numeric comparison against a reference, relative to the reference's scale.
 *
 * @since 0.1
 */
public final class Close {

    private Close() {
    }

    /**
     * Asserts {@code |actual - expected| <= tol * max(1, max|expected|)} element-wise; the failure
     * message names the worst element.
     *
     * @return the largest absolute difference, for reporting
     */
    public static double assertClose(float[] expected, float[] actual, double tol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        double scale = 1;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (!(d <= worst) || Double.isNaN(d)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        if (worst > tol * scale) {
            throw new AssertionFailedError(String.format("%s: max |diff| %.3g at index %d (expected %g, got %g) exceeds %.1g x scale %.3g",
                    what, worst, at, expected[at], actual[at], tol, scale));
        }
        return worst;
    }
}

package org.loupe.analysis.attribution.internal;

/**
 * Gauss-Legendre quadrature nodes and weights on [-1, 1] (as numpy's {@code leggauss}), found by
 * Newton's method on the Legendre polynomial from the usual Chebyshev-like starting points.
 */
public final class GaussLegendre {

    private GaussLegendre() {
    }

    /** {@code {nodes, weights}} of the {@code n}-point rule, nodes ascending. */
    public static double[][] rule(int n) {
        if (n == 1) {
            return new double[][] {{0}, {2}};
        }
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double[] p = legendre(n, z);
                dp = n * (z * p[0] - p[1]) / (z * z - 1);
                double dz = p[0] / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-15) {
                    break;
                }
            }
            double[] p = legendre(n, z);
            dp = n * (z * p[0] - p[1]) / (z * z - 1);
            x[i] = -z;
            x[n - 1 - i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
            w[n - 1 - i] = w[i];
        }
        return new double[][] {x, w};
    }

    /** {@code {P_n(z), P_(n-1)(z)}} by the three-term recurrence. */
    private static double[] legendre(int n, double z) {
        double p0 = 1;
        double p1 = z;
        for (int k = 2; k <= n; k++) {
            double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        return new double[] {p1, p0};
    }
}

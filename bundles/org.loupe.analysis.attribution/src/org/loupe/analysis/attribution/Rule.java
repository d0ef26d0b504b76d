package org.loupe.analysis.attribution;

import java.util.Locale;

import org.loupe.analysis.attribution.internal.GaussLegendre;

/**
 * How integrated gradients approximate the path integral: the points along the path and their
 * weights, exactly as Captum's {@code approximation_methods} ({@code gausslegendre} is Captum's
 * default).
 *
 * @since 0.1
 */
public enum Rule {
    /** Gauss-Legendre quadrature: nodes {@code (1 + x) / 2}, weights {@code w / 2}. */
    GAUSS_LEGENDRE("gausslegendre"),
    /** Trapezoid rule: the path's ends included, half weight at each end; needs 2 steps or more. */
    RIEMANN_TRAPEZOID("riemann_trapezoid"),
    /** Left Riemann sum: {@code 0, 1/n, ..., 1 - 1/n}. */
    RIEMANN_LEFT("riemann_left"),
    /** Right Riemann sum: {@code 1/n, ..., 1}. */
    RIEMANN_RIGHT("riemann_right"),
    /** Midpoint sum: {@code 1/(2n), ..., 1 - 1/(2n)}. */
    RIEMANN_MIDDLE("riemann_middle");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    /** The name Captum uses (and the command line). */
    public String id() {
        return id;
    }

    /** The rule called {@code id}; throws naming every rule if there is none. */
    public static Rule of(String id) {
        String t = id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Rule r : values()) {
            if (r.id.equals(t) || r.name().equalsIgnoreCase(t) || ("riemann".equals(t) && r == RIEMANN_TRAPEZOID)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown integration rule '" + id
                + "'; use gausslegendre, riemann_trapezoid (or riemann), riemann_left, riemann_right or riemann_middle");
    }

    /** The smallest number of steps the rule takes. */
    public int minSteps() {
        return this == RIEMANN_TRAPEZOID ? 2 : 1;
    }

    /** {@code {alphas, weights}} of {@code n} steps: the points along the path and their weights (summing to 1). */
    public double[][] points(int n) {
        if (n < minSteps()) {
            throw new IllegalArgumentException("integrated gradients need at least " + minSteps() + " steps with " + id + ", got " + n);
        }
        double[] a = new double[n];
        double[] w = new double[n];
        switch (this) {
            case GAUSS_LEGENDRE -> {
                double[][] r = GaussLegendre.rule(n);
                for (int i = 0; i < n; i++) {
                    a[i] = 0.5 * (1 + r[0][i]);
                    w[i] = 0.5 * r[1][i];
                }
            }
            case RIEMANN_TRAPEZOID -> {
                for (int i = 0; i < n; i++) {
                    a[i] = (double) i / (n - 1);
                    w[i] = (i == 0 || i == n - 1 ? 0.5 : 1.0) / (n - 1);
                }
            }
            default -> {
                double offset = this == RIEMANN_LEFT ? 0 : this == RIEMANN_RIGHT ? 1 : 0.5;
                for (int i = 0; i < n; i++) {
                    a[i] = (i + offset) / n;
                    w[i] = 1.0 / n;
                }
            }
        }
        return new double[][] {a, w};
    }
}

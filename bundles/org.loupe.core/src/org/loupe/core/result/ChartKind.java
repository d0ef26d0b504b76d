package org.loupe.core.result;

/**
 * How a {@link ChartResult} is drawn.
 *
 * @since 0.1
 */
public enum ChartKind {
    /** Lines through the points (tuning curves, training curves). */
    LINE,
    /** Points only. */
    SCATTER,
    /** Bars at each x (per-unit statistics, class scores). */
    BAR,
    /** Adjacent bars over equal-width bins whose centres are the x values. */
    HISTOGRAM,
    /**
     * A polar plot: x is an angle in degrees (0 at the top, clockwise), y the radius (tuning curves
     * over orientations or directions).
     */
    POLAR
}

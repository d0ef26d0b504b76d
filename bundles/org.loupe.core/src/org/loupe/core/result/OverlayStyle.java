package org.loupe.core.result;

/**
 * How a {@link FloatMap} is drawn: its colormap, the value range the colormap spans, and the opacity
 * with which it covers the image below it.
 *
 * @param colormap the colour scale
 * @param min      the value drawn with the colormap's first colour (smaller values are clamped)
 * @param max      the value drawn with its last colour (larger values are clamped); {@code > min}
 * @param opacity  0 shows only the image, 1 only the map
 *
 * @since 0.1
 */
public record OverlayStyle(Colormap colormap, double min, double max, double opacity) {

    /** Validates. */
    public OverlayStyle {
        if (colormap == null) {
            throw new IllegalArgumentException("an overlay needs a colormap");
        }
        if (!(max > min) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("an overlay's range needs finite min < max, got [" + min + ", " + max + "]");
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1], got " + opacity);
        }
    }

    /**
     * A style spanning the map's own range: symmetric around 0 with {@link Colormap#DIVERGING} if
     * the map has negative and positive values, else from its minimum to its maximum.
     */
    public static OverlayStyle auto(FloatMap map, Colormap colormap, double opacity) {
        double lo = map.min();
        double hi = map.max();
        if (lo < 0 && hi > 0 && colormap == Colormap.DIVERGING) {
            double m = Math.max(-lo, hi);
            return new OverlayStyle(colormap, -m, m, opacity);
        }
        return new OverlayStyle(colormap, lo, hi > lo ? hi : lo + 1, opacity);
    }

    /** The colour of {@code value}. */
    public int rgb(double value) {
        return colormap.rgb((value - min) / (max - min));
    }
}

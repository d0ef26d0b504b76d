package org.loupe.core.result;

/**
 * Colour scales for float maps: each maps a position in [0, 1] to an RGB colour by linear
 * interpolation between evenly spaced stops (the stops of viridis and inferno are matplotlib's).
 *
 * @since 0.1
 */
public enum Colormap {
    /** Perceptually uniform, dark blue to yellow: the default for magnitudes. */
    VIRIDIS(0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863, 0xAADC32, 0xFDE725),
    /** Perceptually uniform, black to pale yellow: attention and saliency. */
    INFERNO(0x000004, 0x1F0C48, 0x550F6D, 0x88226A, 0xBA3655, 0xE35932, 0xF98C0A, 0xF9C932, 0xFCFFA4),
    /** Blue through white to red, for signed maps (attributions) with a range symmetric around 0. */
    DIVERGING(0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B),
    /** Black to white. */
    GRAY(0x000000, 0xFFFFFF);

    private final int[] stops;

    Colormap(int... stops) {
        this.stops = stops;
    }

    /** The packed {@code 0xRRGGBB} colour at {@code t} (clamped to [0, 1]; NaN is the lowest colour). */
    public int rgb(double t) {
        double u = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(u));
        double f = u - i;
        int a = stops[i];
        int b = stops[i + 1];
        return mix(a >> 16 & 0xFF, b >> 16 & 0xFF, f) << 16 | mix(a >> 8 & 0xFF, b >> 8 & 0xFF, f) << 8 | mix(a & 0xFF, b & 0xFF, f);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    /** The colormap named {@code name} (case-insensitive), with a message listing the names if there is none. */
    public static Colormap named(String name) {
        for (Colormap c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown colormap '" + name + "'; use one of "
                + java.util.Arrays.stream(values()).map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
}

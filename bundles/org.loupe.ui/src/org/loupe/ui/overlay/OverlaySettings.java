package org.loupe.ui.overlay;

import org.loupe.core.images.RasterImage;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;

/**
 * What the {@link OverlayEditor}'s controls say: the colormap, the opacity of the map over the
 * image, and how the value range is chosen; {@link #styleFor} turns them into the
 * {@link OverlayStyle} of one map.
 *
 * @param colormap the colour scale
 * @param opacity  0 shows only the image, 1 only the map
 * @param range    how the range is chosen
 * @param min      the fixed range's low end (used by {@link RangeMode#FIXED})
 * @param max      the fixed range's high end, {@code > min}
 *
 * @since 0.1
 */
public record OverlaySettings(Colormap colormap, double opacity, RangeMode range, double min, double max) {

    /** Validates. */
    public OverlaySettings {
        new OverlayStyle(colormap, min, max, opacity);
        if (range == null) {
            throw new IllegalArgumentException("overlay settings need a range mode");
        }
    }

    /** Settings that draw exactly as {@code style} does: its colormap and opacity, its range fixed. */
    public static OverlaySettings of(OverlayStyle style) {
        return new OverlaySettings(style.colormap(), style.opacity(), RangeMode.FIXED, style.min(), style.max());
    }

    /** The style of {@code map} under these settings; a constant map gets a range of width 1 starting at its value. */
    public OverlayStyle styleFor(LabelledMap map) {
        return switch (range) {
            case FIXED -> new OverlayStyle(colormap, min, max, opacity);
            case AUTO -> {
                double lo = map.min();
                double hi = map.max();
                yield new OverlayStyle(colormap, lo, hi > lo ? hi : lo + 1, opacity);
            }
            case SYMMETRIC -> {
                double m = Math.max(Math.abs(map.min()), Math.abs(map.max()));
                yield new OverlayStyle(colormap, m > 0 ? -m : -1, m > 0 ? m : 1, opacity);
            }
        };
    }

    /** The picture of {@code map} over these settings' style of it, over {@code image} (null: the map alone, at its own size). */
    public RasterImage draw(RasterImage image, LabelledMap map) {
        return draw(image, map, styleFor(map));
    }

    /** The picture of {@code map} drawn with {@code style} over {@code image} (null: alone), as {@link HeatMapResult#render} draws it. */
    static RasterImage draw(RasterImage image, LabelledMap map, OverlayStyle style) {
        return new HeatMapResult(map.label(), map.map(), image, style, "").render(map.channel());
    }

    /** These settings with another colormap. */
    public OverlaySettings withColormap(Colormap c) {
        return new OverlaySettings(c, opacity, range, min, max);
    }

    /** These settings with another opacity. */
    public OverlaySettings withOpacity(double o) {
        return new OverlaySettings(colormap, o, range, min, max);
    }

    /** These settings with another range mode. */
    public OverlaySettings withRange(RangeMode r) {
        return new OverlaySettings(colormap, opacity, r, min, max);
    }

    /** These settings with another fixed range. */
    public OverlaySettings withFixed(double lo, double hi) {
        return new OverlaySettings(colormap, opacity, range, lo, hi);
    }
}

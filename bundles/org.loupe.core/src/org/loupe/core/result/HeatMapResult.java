package org.loupe.core.result;

import org.loupe.core.images.RasterImage;

/**
 * A float map drawn with a colormap over an image: a saliency or attribution map, an attention
 * map, a spatial activation map. The map is kept losslessly (see {@link FloatMap}); the picture is
 * made from it by {@link #render(int)} at the image's resolution.
 *
 * @param title   the title
 * @param map     the values, {@code [H, W]} or {@code [C, H, W]} (one picture per channel)
 * @param image   the image under the map, or null to draw the map alone
 * @param style   colormap, range and opacity
 * @param caption a line under the picture (may be empty)
 *
 * @since 0.1
 */
public record HeatMapResult(String title, FloatMap map, RasterImage image, OverlayStyle style, String caption) implements Result {

    /** Validates. */
    public HeatMapResult {
        if (map == null || style == null) {
            throw new IllegalArgumentException("a heat map needs a map and a style");
        }
        caption = caption == null ? "" : caption;
    }

    /**
     * The picture of channel {@code channel}: the map, resampled bilinearly to the image's size
     * (pixel centres aligned, as PyTorch's {@code interpolate(align_corners=False)}), coloured, and
     * blended over the image with the style's opacity. Without an image, the coloured map at its
     * own size.
     */
    public RasterImage render(int channel) {
        if (channel < 0 || channel >= map.channels()) {
            throw new IllegalArgumentException("channel " + channel + " is out of range: the map has " + map.channels() + " channels");
        }
        int w = image == null ? map.width() : image.width();
        int h = image == null ? map.height() : image.height();
        double sx = (double) map.width() / w;
        double sy = (double) map.height() / h;
        int[] px = new int[w * h];
        double a = image == null ? 1 : style.opacity();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = style.rgb(sample(channel, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5));
                int b = image == null ? 0 : image.pixel(x, y);
                px[y * w + x] = blend(c >> 16 & 0xFF, b >> 16 & 0xFF, a) << 16 | blend(c >> 8 & 0xFF, b >> 8 & 0xFF, a) << 8
                        | blend(c & 0xFF, b & 0xFF, a);
            }
        }
        return new RasterImage(w, h, px);
    }

    private double sample(int c, double fx, double fy) {
        double x = Math.max(0, Math.min(map.width() - 1, fx));
        double y = Math.max(0, Math.min(map.height() - 1, fy));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, map.width() - 1);
        int y1 = Math.min(y0 + 1, map.height() - 1);
        double dx = x - x0;
        double dy = y - y0;
        double top = map.get(c, y0, x0) * (1 - dx) + map.get(c, y0, x1) * dx;
        double bottom = map.get(c, y1, x0) * (1 - dx) + map.get(c, y1, x1) * dx;
        return top * (1 - dy) + bottom * dy;
    }

    private static int blend(int over, int under, double a) {
        return (int) Math.round(over * a + under * (1 - a));
    }
}

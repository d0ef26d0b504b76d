package org.loupe.analysis.quality;

import java.util.Arrays;

/**
 * A float map over an image's pixels (or over a coarser grid such as ViT patches), row-major: the
 * input of every localisation metric. Maps of any explanation method (attention, attribution,
 * saliency) are compared in this form, so the metrics know nothing about where a map came from.
 *
 * @param width  columns, at least 1
 * @param height rows, at least 1
 * @param values {@code width * height} values, row-major (not copied; do not change them)
 *
 * @since 0.1
 */
public record PixelMap(int width, int height, float[] values) {

    /** Validates the size. */
    public PixelMap {
        if (width < 1 || height < 1 || values.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " map needs " + (long) width * height + " values, got " + values.length);
        }
    }

    /** The value at column {@code x}, row {@code y}. */
    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** The mean value. */
    public double mean() {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s / values.length;
    }

    /**
     * This map resampled bilinearly to {@code toWidth x toHeight} with pixel centres aligned, as
     * PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} (the upsampling of Chefer
     * et al.'s segmentation protocol).
     */
    public PixelMap resize(int toWidth, int toHeight) {
        if (toWidth == width && toHeight == height) {
            return this;
        }
        float[] out = new float[toWidth * toHeight];
        double sx = (double) width / toWidth;
        double sy = (double) height / toHeight;
        for (int y = 0; y < toHeight; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double dy = Math.min(fy - y0, 1);
            for (int x = 0; x < toWidth; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double dx = Math.min(fx - x0, 1);
                double top = get(x0, y0) * (1 - dx) + get(x1, y0) * dx;
                double bottom = get(x0, y1) * (1 - dx) + get(x1, y1) * dx;
                out[y * toWidth + x] = (float) (top * (1 - dy) + bottom * dy);
            }
        }
        return new PixelMap(toWidth, toHeight, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelMap m && m.width == width && m.height == height && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return (width * 31 + height) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "PixelMap[" + width + "x" + height + "]";
    }
}

package org.loupe.core.images;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An immutable 8-bit RGB image: the pixel currency between image sources, analyses, results and
 * views. Pixels are packed {@code 0xRRGGBB} ints, row by row.
 *
 * @param width  width in pixels
 * @param height height in pixels
 * @param rgb    {@code width * height} packed pixels (copied, upper byte cleared; never exposed mutable)
 *
 * @since 0.1
 */
public record RasterImage(int width, int height, int[] rgb) {

    /** Validates and copies. */
    public RasterImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + rgb.length);
        }
        rgb = rgb.clone();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
    }

    /** A copy of the packed pixels. */
    @Override
    public int[] rgb() {
        return rgb.clone();
    }

    /** The packed {@code 0xRRGGBB} value at (x, y). */
    public int pixel(int x, int y) {
        return rgb[y * width + x];
    }

    /** Copies a {@link BufferedImage} (any type; alpha is dropped). */
    public static RasterImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return new RasterImage(w, h, image.getRGB(0, 0, w, h, null, 0, w));
    }

    /**
     * Builds an image from planar floats in [0, 1] (values are clamped).
     *
     * @param chw {@code channels * height * width} values, channel-major; 1 channel means gray
     */
    public static RasterImage fromPlanar(float[] chw, int channels, int height, int width) {
        int n = height * width;
        int[] px = new int[n];
        for (int i = 0; i < n; i++) {
            int r = toByte(chw[i]);
            int g = channels == 3 ? toByte(chw[n + i]) : r;
            int b = channels == 3 ? toByte(chw[2 * n + i]) : r;
            px[i] = (r << 16) | (g << 8) | b;
        }
        return new RasterImage(width, height, px);
    }

    private static int toByte(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    /** A new {@link BufferedImage} with these pixels. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RasterImage r && r.width == width && r.height == height && Arrays.equals(r.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return (width * 31 + height) * 31 + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RasterImage[" + width + "x" + height + "]";
    }
}

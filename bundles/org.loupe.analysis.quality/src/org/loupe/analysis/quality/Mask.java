package org.loupe.analysis.quality;

/**
 * The ground-truth object mask of an image, row-major: {@code true} where the object is.
 *
 * @param width  columns
 * @param height rows
 * @param inside {@code width * height} flags (not copied; do not change them)
 *
 * @since 0.1
 */
public record Mask(int width, int height, boolean[] inside) {

    /** Validates the size. */
    public Mask {
        if (width < 1 || height < 1 || inside.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " mask needs " + (long) width * height + " flags, got " + inside.length);
        }
    }

    /** Whether {@code (x, y)} is inside the object. */
    public boolean get(int x, int y) {
        return inside[y * width + x];
    }

    /** The number of object pixels. */
    public int area() {
        int n = 0;
        for (boolean b : inside) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    void checkSize(PixelMap map) {
        if (map.width() != width || map.height() != height) {
            throw new IllegalArgumentException("the map is " + map.width() + "x" + map.height() + " but the mask is " + width + "x" + height
                    + "; resize the map to the mask first (PixelMap.resize)");
        }
    }
}

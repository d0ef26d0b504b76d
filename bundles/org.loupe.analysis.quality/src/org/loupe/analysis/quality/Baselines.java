package org.loupe.analysis.quality;

import java.util.Random;

/**
 * Maps that know nothing about the image, to compare explanation methods against: a method that
 * localises must beat both.
 *
 * @since 0.1
 */
public final class Baselines {

    private Baselines() {
    }

    /** Independent uniform values in [0, 1) from {@code random}: the chance level. */
    public static PixelMap random(int width, int height, Random random) {
        float[] v = new float[width * height];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat();
        }
        return new PixelMap(width, height, v);
    }

    /**
     * Centre bias: an isotropic Gaussian around the map's centre with standard deviation a quarter
     * of the smaller side, {@code exp(-d^2 / (2 sigma^2))} with {@code d} the distance from the
     * centre in cells (objects in photographs, and in many datasets, tend to sit in the middle).
     */
    public static PixelMap centreBias(int width, int height) {
        double sigma = Math.min(width, height) / 4.0;
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        float[] v = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                v[y * width + x] = (float) Math.exp(-d2 / (2 * sigma * sigma));
            }
        }
        return new PixelMap(width, height, v);
    }
}

package org.loupe.analysis.quality;

/**
 * The pointing game (Zhang et al. 2016, as in Quantus): an image is a hit if the map's maximum lies
 * inside the object mask. Where several pixels share the maximum, the image counts the fraction of
 * them inside the mask (the expected hit of a random tie-break), so that a constant map scores the
 * mask's area fraction, not a sure hit. Accumulates over images; not thread-safe.
 */
public final class PointingGame {

    private double hits;
    private int images;

    /**
     * The hit of one map against its mask: 1, 0, or the fraction of tied maxima inside the mask.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double hit(PixelMap map, Mask mask) {
        mask.checkSize(map);
        float[] v = map.values();
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            if (x > max) {
                max = x;
            }
        }
        int tied = 0;
        int in = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == max) {
                tied++;
                if (mask.inside()[i]) {
                    in++;
                }
            }
        }
        return tied == 0 ? 0 : (double) in / tied;
    }

    /** Scores one image and adds it; returns its hit. */
    public double add(PixelMap map, Mask mask) {
        double h = hit(map, mask);
        hits += h;
        images++;
        return h;
    }

    /** The number of images scored. */
    public int images() {
        return images;
    }

    /** The fraction of hits, in [0, 1] (0 before any image). */
    public double accuracy() {
        return images == 0 ? 0 : hits / images;
    }
}

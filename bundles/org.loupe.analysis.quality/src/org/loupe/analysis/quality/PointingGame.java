package org.loupe.analysis.quality;

/**
 * The pointing game (Zhang et al. 2016): an image is a hit if the map's maximum lies inside the
 * object mask, or within {@code tolerance} pixels of it (Zhang et al. allow 15 pixels at 224 x 224,
 * about one ViT-B/16 patch; Quantus' default is 0). Where several pixels share the maximum, the
 * image counts the fraction of them that hit (the expected hit of a random tie-break), so that a
 * constant map scores about the mask's area fraction, not a sure hit. Accumulates over images; not
 * thread-safe.
 *
 * @since 0.1
 */
public final class PointingGame {

    private final double tolerance;
    private double hits;
    private int images;

    /** A strict pointing game: the maximum must lie inside the mask. */
    public PointingGame() {
        this(0);
    }

    /**
     * A pointing game that also counts a maximum within {@code tolerance} pixels (Euclidean) of the mask.
     *
     * @throws IllegalArgumentException if the tolerance is negative
     */
    public PointingGame(double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("the pointing game's tolerance is a distance in pixels, >= 0; got " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /** Zhang et al.'s tolerance, 15 pixels at 224 x 224, scaled to an image whose shorter side is {@code size} pixels. */
    public static double zhangTolerance(int size) {
        return 15.0 * size / 224;
    }

    /** The tolerance in pixels. */
    public double tolerance() {
        return tolerance;
    }

    /**
     * The hit of one map against its mask: 1, 0, or the fraction of tied maxima inside the mask.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double hit(PixelMap map, Mask mask) {
        return hit(map, mask, 0);
    }

    /**
     * The hit of one map against its mask with a tolerance in pixels.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double hit(PixelMap map, Mask mask, double tolerance) {
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
                if (near(mask, i % map.width(), i / map.width(), tolerance)) {
                    in++;
                }
            }
        }
        return tied == 0 ? 0 : (double) in / tied;
    }

    private static boolean near(Mask mask, int x, int y, double tolerance) {
        if (mask.get(x, y)) {
            return true;
        }
        int r = (int) Math.floor(tolerance);
        double r2 = tolerance * tolerance;
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int u = x + dx;
                int v = y + dy;
                if (dx * dx + dy * dy <= r2 && u >= 0 && v >= 0 && u < mask.width() && v < mask.height() && mask.get(u, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Scores one image and adds it; returns its hit. */
    public double add(PixelMap map, Mask mask) {
        double h = hit(map, mask, tolerance);
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

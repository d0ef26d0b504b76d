package org.loupe.analysis.quality;

/**
 * Relevance mass accuracy (Arras et al. 2022, CLEVR-XAI), as Quantus computes it: the positive
 * part of the map inside the object mask over the positive part everywhere,
 * {@code sum_{mask} max(a, 0) / sum max(a, 0)}, in [0, 1]; 1 when all relevance is on the object.
 * Negative relevance is dropped (signed maps' negative evidence does not count); with
 * {@code absolute} the map's magnitude is used instead (Quantus' {@code abs=True}). Quantus'
 * max-normalisation does not change the ratio. A map with no positive value scores 0.
 *
 * @since 0.1
 */
public final class RelevanceMass {

    private RelevanceMass() {
    }

    /** The positive-part relevance mass accuracy of {@code map} (at the mask's size) against {@code mask}. */
    public static double accuracy(PixelMap map, Mask mask) {
        return accuracy(map, mask, false);
    }

    /**
     * The relevance mass accuracy, of the positive part or ({@code absolute}) of the magnitude.
     *
     * @throws IllegalArgumentException if the sizes differ, or the mask is empty
     */
    public static double accuracy(PixelMap map, Mask mask, boolean absolute) {
        mask.checkSize(map);
        if (mask.area() == 0) {
            throw new IllegalArgumentException("the object mask is empty: relevance mass accuracy needs an image whose mask marks the object");
        }
        float[] v = map.values();
        boolean[] in = mask.inside();
        double within = 0;
        double total = 0;
        for (int i = 0; i < v.length; i++) {
            double a = absolute ? Math.abs(v[i]) : Math.max(v[i], 0);
            total += a;
            if (in[i]) {
                within += a;
            }
        }
        return total == 0 ? 0 : within / total;
    }
}

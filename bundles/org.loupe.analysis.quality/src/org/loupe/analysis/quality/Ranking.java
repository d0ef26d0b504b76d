package org.loupe.analysis.quality;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of a map's pixels by relevance, for the metrics that remove pixels most-relevant
 * first: descending value, ties in row-major order (Xplique's {@code argsort(...)[::-1]} leaves the
 * order of ties to NumPy; a fixed rule makes results reproducible).
 *
 * @since 0.1
 */
public final class Ranking {

    private Ranking() {
    }

    /** Pixel indices of {@code map} from the most to the least relevant. */
    public static int[] mostRelevantFirst(PixelMap map) {
        return order(map, -1);
    }

    /** Pixel indices of {@code map} from the least to the most relevant (ties in row-major order). */
    public static int[] leastRelevantFirst(PixelMap map) {
        return order(map, 1);
    }

    private static int[] order(PixelMap map, int sign) {
        float[] v = map.values();
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> sign * v[i]).thenComparingInt(i -> i));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@code map} at the image's size (bilinear, see {@link PixelMap#resize}), so that its pixels
     * are the image's.
     */
    public static PixelMap atImageSize(PixelMap map, ImageArray image) {
        return map.resize(image.width(), image.height());
    }
}

package org.loupe.analysis.quality;

/**
 * Segmentation agreement of maps with object masks, Chefer et al.'s protocol (CVPR 2021, after
 * Transformer-Explainability's {@code imagenet_seg_eval}): each map (already at the mask's size,
 * see {@link PixelMap#resize}) is thresholded at its own mean, and the binary map is scored against
 * the mask. Counts are summed over all images before the ratios are taken: pixel accuracy is
 * correct pixels over all pixels, mIoU the mean over the two classes (background, object) of
 * intersection over union. Not thread-safe.
 *
 * @since 0.1
 */
public final class SegmentationScore {

    private long correct;
    private long pixels;
    private final long[] intersection = new long[2];
    private final long[] union = new long[2];
    private int images;

    /** The binary map: {@code true} where the map is above its mean. */
    public static boolean[] threshold(PixelMap map) {
        double mean = map.mean();
        float[] v = map.values();
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > mean;
        }
        return out;
    }

    /**
     * Thresholds {@code map} at its mean and adds its agreement with {@code mask}.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public void add(PixelMap map, Mask mask) {
        mask.checkSize(map);
        boolean[] predicted = threshold(map);
        boolean[] truth = mask.inside();
        for (int i = 0; i < truth.length; i++) {
            boolean p = predicted[i];
            boolean t = truth[i];
            if (p == t) {
                correct++;
                intersection[t ? 1 : 0]++;
                union[t ? 1 : 0]++;
            } else {
                union[0]++;
                union[1]++;
            }
        }
        pixels += truth.length;
        images++;
    }

    /** The number of images scored. */
    public int images() {
        return images;
    }

    /** Correct pixels over all pixels, in [0, 1]. */
    public double pixelAccuracy() {
        return pixels == 0 ? 0 : (double) correct / pixels;
    }

    /** Intersection over union of class {@code c} (0 background, 1 object) over all images. */
    public double iou(int c) {
        return union[c] == 0 ? 0 : (double) intersection[c] / union[c];
    }

    /** The mean of the background and object IoU, in [0, 1]. */
    public double meanIou() {
        return (iou(0) + iou(1)) / 2;
    }
}

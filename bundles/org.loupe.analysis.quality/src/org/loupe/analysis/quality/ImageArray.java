package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One image as the model takes it, channel-planar ({@code C x H x W}, already normalised): what
 * the perturbation metrics change pixel by pixel before they score it again. A "pixel" of a metric
 * is one {@code (x, y)} position across all channels (channels are flipped together, as Xplique
 * does for coloured images).
 *
 * @param channels {@code C}
 * @param height   {@code H}
 * @param width    {@code W}
 * @param values   {@code C * H * W} values, channel-major (not copied; do not change them)
 *
 * @since 0.1
 */
public record ImageArray(int channels, int height, int width, float[] values) {

    /** Validates the size. */
    public ImageArray {
        if (channels < 1 || height < 1 || width < 1 || values.length != channels * height * width) {
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image needs " + (long) channels * height * width
                    + " values, got " + values.length);
        }
    }

    /** The number of pixel positions, {@code H * W}. */
    public int pixels() {
        return height * width;
    }

    /** A copy of the values, to perturb. */
    public float[] copyValues() {
        return values.clone();
    }

    /** The same size with other values. */
    public ImageArray with(float[] newValues) {
        return new ImageArray(channels, height, width, newValues);
    }

    /** The images of a batch {@code (N, C, H, W)}, copied to Java. */
    public static List<ImageArray> of(NDArray batch) {
        Shape s = batch.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("a batch of images is (N, C, H, W), got shape " + s);
        }
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = batch.toFloatArray();
        List<ImageArray> out = new ArrayList<>(n);
        int k = c * h * w;
        for (int i = 0; i < n; i++) {
            float[] v = new float[k];
            System.arraycopy(all, i * k, v, 0, k);
            out.add(new ImageArray(c, h, w, v));
        }
        return out;
    }

    /**
     * The batch {@code (N, C, H, W)} of {@code images} (all of one size) in {@code manager}, in
     * memory PyTorch owns (see the memory note in TensorOps).
     */
    public static NDArray toBatch(NDManager manager, List<ImageArray> images) {
        ImageArray first = images.get(0);
        int k = first.values.length;
        float[] all = new float[images.size() * k];
        for (int i = 0; i < images.size(); i++) {
            ImageArray im = images.get(i);
            if (im.channels != first.channels || im.height != first.height || im.width != first.width) {
                throw new IllegalArgumentException("the images of a batch must share one size: " + first.channels + "x" + first.height + "x"
                        + first.width + " and " + im.channels + "x" + im.height + "x" + im.width);
            }
            System.arraycopy(im.values, 0, all, i * k, k);
        }
        try (NDArray created = manager.create(all, new Shape(images.size(), first.channels, first.height, first.width))) {
            return created.duplicate();
        }
    }
}

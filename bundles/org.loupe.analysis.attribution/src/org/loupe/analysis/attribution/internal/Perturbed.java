package org.loupe.analysis.attribution.internal;

import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Forward passes over many perturbed copies of one image at once: copy {@code j} is
 * {@code x + m_j (b - x)} for a mask {@code m_j} over the pixels (1: the baseline shows, 0: the
 * image), the same mask for every channel.
 */
public final class Perturbed {

    private Perturbed() {
    }

    /**
     * The class scores of the {@code k} copies given by {@code masks} ({@code k * H * W} values).
     *
     * @param x       one image {@code [1, C, H, W]}
     * @param b       its baseline, same shape
     * @param softmax score by the class probability instead of the logit
     */
    public static float[] scores(HookedModel model, NDArray x, NDArray b, float[] masks, int k, int cls, boolean softmax) {
        long[] s = x.getShape().getShape();
        try (NDManager m = x.getManager().newSubManager()) {
            NDArray mask = Owned.floats(m, masks, new Shape(k, 1, s[2], s[3]));
            NDArray delta = b.sub(x);
            delta.attach(m);
            NDArray copies = mask.mul(delta).add(x);
            NDArray out = model.forward(copies, org.loupe.core.model.Hooks.none()).output().reshape(k, -1);
            if (softmax) {
                out = out.softmax(1);
            }
            int[] classes = new int[k];
            java.util.Arrays.fill(classes, cls);
            return Tensors.selected(out, classes).toFloatArray();
        }
    }

    /**
     * The class scores of copies of {@code x} with each rectangle replaced by the baseline
     * ({@code {y0, y1, x0, x1}}, ends exclusive).
     */
    public static float[] scores(HookedModel model, NDArray x, NDArray b, java.util.List<int[]> rects, int cls, boolean softmax) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        float[] masks = new float[rects.size() * h * w];
        for (int j = 0; j < rects.size(); j++) {
            int[] r = rects.get(j);
            for (int y = r[0]; y < r[1]; y++) {
                java.util.Arrays.fill(masks, j * h * w + y * w + r[2], j * h * w + y * w + r[3], 1f);
            }
        }
        return scores(model, x, b, masks, rects.size(), cls, softmax);
    }

    /** Per-image pixel maps ({@code h * w} values each) as an attribution {@code [N, C, H, W]}, the same in every channel. */
    public static NDArray attribution(NDManager manager, java.util.List<float[]> maps, int c, int h, int w) {
        float[] all = new float[maps.size() * c * h * w];
        for (int i = 0; i < maps.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(maps.get(i), 0, all, (i * c + ch) * h * w, h * w);
            }
        }
        return Owned.floats(manager, all, new Shape(maps.size(), c, h, w));
    }
}

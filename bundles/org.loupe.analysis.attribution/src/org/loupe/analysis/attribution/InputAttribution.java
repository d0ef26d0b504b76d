package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;

import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;

/**
 * An attribution method over the input: one value per input element, {@code [N, C, H, W]} like
 * the input (Captum's convention), reduced over the channels to one map per image when used as an
 * {@link Explainer}.
 *
 * @since 0.1
 */
public interface InputAttribution extends Explainer {

    /**
     * The attributions of {@code input} for {@code classes}, in the manager of {@code input}.
     *
     * @param input    the normalised batch {@code [N, C, H, W]}
     * @param classes  the class explained for each image
     * @param progress told after each pass; may throw to cancel
     */
    NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) throws AnalysisException;

    /** How the channels of an attribution become one map. */
    Reduction reduction();

    @Override
    default List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) throws AnalysisException {
        return maps(attribute(model, input, classes, Progress.NONE), reduction());
    }

    /** One map per image of an {@code [N, C, H, W]} attribution. */
    static List<PixelMap> maps(NDArray attribution, Reduction reduction) {
        long[] s = attribution.getShape().getShape();
        int n = (int) s[0];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] all;
        try (NDArray reduced = reduction.apply(attribution)) {
            all = reduced.toFloatArray();
        }
        List<PixelMap> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[h * w];
            System.arraycopy(all, i * h * w, v, 0, h * w);
            out.add(new PixelMap(w, h, v));
        }
        return out;
    }
}

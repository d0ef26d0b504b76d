package org.loupe.analysis.attribution;

import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;

/**
 * Saliency (Simonyan et al.): the gradient of the class logit with respect to the input, its
 * absolute value by default (Captum's {@code Saliency(abs=True)}); the map is the largest
 * absolute value over the channels, or the signed sum over them.
 *
 * @param signed keep the gradient's sign (map: sum over channels) instead of its absolute value
 *
 * @since 0.1
 */
public record Saliency(boolean signed) implements InputAttribution {

    @Override
    public String name() {
        return signed ? "saliency (signed)" : "saliency";
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        NDArray g = Tensors.inputGradient(model, input, classes);
        progress.passes(1, 1);
        if (signed) {
            return g;
        }
        try (g) {
            return g.abs();
        }
    }

    @Override
    public Reduction reduction() {
        return signed ? Reduction.SUM : Reduction.MAX_ABS;
    }
}

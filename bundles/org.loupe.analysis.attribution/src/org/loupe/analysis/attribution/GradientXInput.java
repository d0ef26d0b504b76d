package org.loupe.analysis.attribution;

import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;

/**
 * Gradient x input: the input gradient of the class logit times the (normalised) input, summed
 * over the channels for the map. Equals integrated gradients from a zero baseline for a model
 * that is linear along the path.
 *
 * @since 0.1
 */
public record GradientXInput() implements InputAttribution {

    @Override
    public String name() {
        return "gradient x input";
    }

    @Override
    public NDArray attribute(HookedModel model, NDArray input, int[] classes, Progress progress) {
        try (NDArray g = Tensors.inputGradient(model, input, classes)) {
            progress.passes(1, 1);
            return g.mul(input);
        }
    }

    @Override
    public Reduction reduction() {
        return Reduction.SUM;
    }
}

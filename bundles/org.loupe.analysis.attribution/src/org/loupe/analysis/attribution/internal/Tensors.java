package org.loupe.analysis.attribution.internal;

import java.util.List;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Small tensor helpers the attribution methods share. */
public final class Tensors {

    private Tensors() {
    }

    /** The logit of {@code classes[i]} in row {@code i} of {@code output}, one value per row. */
    public static NDArray selected(NDArray output, int[] classes) {
        int n = classes.length;
        NDArray logits = output.reshape(n, -1);
        int k = (int) logits.getShape().get(1);
        float[] onehot = new float[n * k];
        for (int i = 0; i < n; i++) {
            onehot[i * k + classes[i]] = 1;
        }
        return logits.mul(Owned.floats(output.getManager(), onehot, new Shape(n, k))).sum(new int[] {1});
    }

    /** {@code classes} repeated {@code times} times, block after block (the rows of a batched pass). */
    public static int[] repeat(int[] classes, int times) {
        int[] out = new int[classes.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(classes, 0, out, t * classes.length, classes.length);
        }
        return out;
    }

    /** d (sum of the selected logits) / d input, shaped like {@code input}. */
    public static NDArray inputGradient(HookedModel model, NDArray input, int[] classes) {
        return Gradients.backward(model, input, Hooks.none(), o -> selected(o.output(), classes).sum()).inputGradient();
    }

    /**
     * d (sum of the selected logits) / d input for a pass over {@code range}: {@code input} is the
     * activation entering {@code range.from()} (the image for a pass from the input). A pass from a
     * hook point differentiates with respect to {@code input} itself, which is marked as needing a
     * gradient: give it a temporary. With {@code fold}, the models may fold layers in the pass
     * ({@link Gradients#folded}).
     */
    public static NDArray gradient(HookedModel model, NDArray input, Range range, int[] classes, boolean fold) {
        if (fold) {
            return Gradients.folded(() -> gradient(model, input, range, classes, false));
        }
        if (range.start().isEmpty()) {
            return inputGradient(model, input, classes);
        }
        return Gradients.of(List.of(input), () -> selected(model.forward(input, Hooks.none(), range).output(), classes).sum()).gradient(0);
    }

    /** The selected logits of a plain forward pass, one per row. */
    public static float[] scores(HookedModel model, NDArray input, int[] classes) {
        return selected(model.forward(input, Hooks.none()).output(), classes).toFloatArray();
    }

    /** Row {@code i}'s values of an {@code [N, ...]} array. */
    public static float[] row(float[] all, int rows, int i) {
        int per = all.length / rows;
        float[] out = new float[per];
        System.arraycopy(all, i * per, out, 0, per);
        return out;
    }
}

package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;

import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Plain input-gradient saliency (Simonyan et al. 2014): the gradient of the class logit with
 * respect to the input, its absolute value, maximum over the colour channels. The benchmark's
 * method for any model with gradients (the attribution bundle adds the others).
 */
public final class InputGradient implements Explainer {

    @Override
    public String name() {
        return "saliency";
    }

    @Override
    public List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) {
        Shape s = input.getShape();
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDArray g = Gradients.backward(model, input, Hooks.none(), o -> {
            NDArray logits = o.output().reshape(n, -1);
            int k = (int) logits.getShape().get(1);
            float[] onehot = new float[n * k];
            for (int i = 0; i < n; i++) {
                onehot[i * k + classes[i]] = 1;
            }
            NDArray created = input.getManager().create(onehot, new Shape(n, k));
            NDArray owned = created.duplicate();
            created.close();
            return logits.mul(owned).sum();
        }).inputGradient();
        float[] v = g.toFloatArray();
        List<PixelMap> out = new ArrayList<>(n);
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            float[] m = new float[plane];
            for (int ch = 0; ch < c; ch++) {
                int off = (i * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    m[p] = Math.max(m[p], Math.abs(v[off + p]));
                }
            }
            out.add(new PixelMap(w, h, m));
        }
        return out;
    }
}

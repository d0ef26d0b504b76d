package org.loupe.models.tests;

import java.nio.file.Path;
import java.util.Map;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelOutput;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Close;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vision Transformer oracle (oracle/zoo_vit.py) and the comparison of a loaded ViT against its
 * references: output, every activation the oracle recorded, the objective
 * {@code probs[:, 1].mean() + output[:, 0].sum()}, the input gradient and every hook-point gradient
 * the oracle recorded.
 */
final class VitOracle {

    static final double TOL = 1e-4;

    private VitOracle() {
    }

    /** Generates (once) the set {@code small}, {@code b16}, {@code b32} or {@code l16}; returns its folder. */
    static Path generate(String set, String marker) throws Exception {
        Path dir = Oracle.work("vit");
        Oracle.run(dir.resolve(marker + "_ref.npz"), "zoo_vit.py", dir.toString(), set);
        return dir;
    }

    /**
     * Asserts {@code |actual - expected| <= tol * scale} with scale = max|expected| (not floored at 1,
     * so attention probabilities and small gradients are held to their own scale); returns the
     * largest difference.
     */
    static double close(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        if (scale == 0 || scale >= 1) {
            return Close.assertClose(expected, actual, TOL, what);
        }
        float[] e = new float[expected.length];
        float[] a = new float[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) (expected[i] / scale);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (actual[i] / scale);
        }
        return Close.assertClose(e, a, TOL, what + " (scale " + String.format("%.3g", scale) + ")") * scale;
    }

    /** The largest differences measured by {@link #check}, by category, for the report. */
    record Measured(double logits, double activations, double attention, double inputGradient, double hookGradients,
            double probsGradient, int activationsCompared, int gradientsCompared) {
        @Override
        public String toString() {
            return String.format("logits %.2e, activations %.2e (%d), attention probs %.2e, input grad %.2e, hook grads %.2e (%d), "
                    + "attention-prob grad %.2e", logits, activations, activationsCompared, attention, inputGradient, hookGradients,
                    gradientsCompared, probsGradient);
        }
    }

    /**
     * Compares {@code model} with the references {@code ref}; {@code probs} is the objective's attention
     * hook point. Hook points the oracle did not record (layers of big models it skipped) are not compared.
     */
    static Measured check(HookedModel model, Map<String, Tensor> ref, String probs, String what) {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            Tensor in = ref.get("input");
            NDArray x = m.create(in.toFloats(), new Shape(in.shape()));
            ModelOutput out = model.forward(x, Hooks.cacheAll());
            double logits = close(ref.get("logits").toFloats(), out.output().toFloatArray(), what + " output");
            double acts = 0;
            double attention = 0;
            int compared = 0;
            for (HookPoint p : model.hookPoints()) {
                Tensor a = ref.get("act." + p.name());
                if (a == null) {
                    continue;
                }
                assertEquals(new Shape(a.shape()).slice(1), p.shape(), what + " shape of " + p.name());
                double d = close(a.toFloats(), out.cache().get(p.name()).toFloatArray(), what + " activation " + p.name());
                if (p.name().endsWith(".probs")) {
                    attention = Math.max(attention, d);
                } else {
                    acts = Math.max(acts, d);
                }
                compared++;
            }
            assertEquals(ref.keySet().stream().filter(k -> k.startsWith("act.")).count(), compared,
                    what + ": every recorded activation must be a hook point of the model");

            String[] kept = ref.keySet().stream().filter(k -> k.startsWith("grad.") && !k.equals("grad.input"))
                    .map(k -> k.substring("grad.".length())).toArray(String[]::new);
            assertTrue(java.util.Arrays.asList(kept).contains(probs), what + ": the oracle kept the gradient at " + probs);
            Gradients.Result g = Gradients.backward(model, x, Hooks.builder().gradient(kept).build(),
                    o -> o.cache().get(probs).get(":, 1").mean().add(o.output().get(":, 0").sum()));
            close(ref.get("objective").toFloats(), new float[] {g.objective().getFloat()}, what + " objective");
            double inputGrad = close(ref.get("grad.input").toFloats(), g.inputGradient().toFloatArray(), what + " input gradient");
            double grads = 0;
            double probsGrad = 0;
            for (String h : kept) {
                double d = close(ref.get("grad." + h).toFloats(), g.output().cache().gradient(h).toFloatArray(), what + " gradient at " + h);
                if (h.endsWith(".probs")) {
                    probsGrad = Math.max(probsGrad, d);
                } else {
                    grads = Math.max(grads, d);
                }
            }
            Measured r = new Measured(logits, acts, attention, inputGrad, grads, probsGrad, compared, kept.length);
            System.out.println("[vit golden] " + what + ": " + r);
            return r;
        }
    }
}

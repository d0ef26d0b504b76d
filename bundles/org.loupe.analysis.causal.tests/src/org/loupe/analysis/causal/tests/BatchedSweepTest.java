package org.loupe.analysis.causal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.analysis.causal.tests.Fixture.assertClose;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Intervention;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.Sites;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.TextResult;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Batched, resumed sweeps equal unbatched full forward passes, one per unit, within 1e-5: for
 * several memory budgets (so several ablations per pass and several passes), image batches that
 * do not divide the image set, mean replacement, spatial positions, and attention heads inside a
 * transformer block (a hook point that is not resumable, so the sweep resumes from the block's
 * input).
 */
class BatchedSweepTest {

    static final double TOL = 1e-5;

    @TempDir
    Path dir;

    /** The mean drop of each image's clean top-class logit when step {@code s} is ablated, one full forward per step. */
    private static double[] fullForwards(HookedModel model, NDArray x, String layer, int steps, IntFunction<Intervention> ablate) {
        float[][] clean = logits(model.forward(x, Hooks.none()).output());
        double[] drop = new double[steps];
        for (int s = 0; s < steps; s++) {
            float[][] a = logits(model.forward(x, Hooks.builder().intervene(layer, ablate.apply(s)).build()).output());
            for (int i = 0; i < clean.length; i++) {
                int t = argmax(clean[i]);
                drop[s] += (clean[i][t] - a[i][t]) / clean.length;
            }
        }
        return drop;
    }

    static float[][] logits(NDArray out) {
        return Fixture.rows(out.toFloatArray(), (int) out.getShape().get(0));
    }

    static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            b = v[i] > v[b] ? i : b;
        }
        return b;
    }

    private static double[] sweep(Fixture f, HookedModel model, String layer, String images, Map<String, String> params, int steps, int rowsPerPass)
            throws Exception {
        CompositeResult r = f.run("org.loupe.analysis.ablationSweep", model, layer, images, params);
        String summary = ((TextResult) r.parts().get(0)).text();
        assertTrue(summary.contains("then " + rowsPerPass + " ablated rows per resumed pass"), summary);
        return Fixture.byIndex(Fixture.table(r, "Ranked"), "target logit drop", steps);
    }

    @Test
    void unitsAndPositionsOfACnnEqualFullForwards() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 6, 16, 3).toString();
        try (HookedModel model = f.registry.openModel(OracleModel.folder().resolve("causal-cnn.json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = f.input(m, model, images);
            double[] zero = fullForwards(model, x, "relu1", 8, u -> Interventions.zero(u));
            // 1 MB holds 30 rows of relu1's suffix (5 units x 6 images); 512 MB all 48; batches of 4 then 2 images
            assertClose(zero, sweep(f, model, "relu1", images, Map.of("target", "predicted", "memoryMb", "1"), 8, 30), TOL, "zero, 1 MB");
            assertClose(zero, sweep(f, model, "relu1", images, Map.of("target", "predicted"), 8, 48), TOL, "zero, 512 MB");
            assertClose(zero, sweep(f, model, "relu1", images, Map.of("target", "predicted", "batchSize", "4"), 8, 32), TOL, "zero, batches of 4");

            NDArray mean = model.forward(x, Hooks.cache("relu1")).cache().get("relu1").mean(new int[] {0}, true);
            double[] meanDrop = fullForwards(model, x, "relu1", 8, u -> Interventions.replace(mean, u));
            assertClose(meanDrop, sweep(f, model, "relu1", images, Map.of("target", "predicted", "replacement", "mean", "memoryMb", "1"), 8, 30),
                    TOL, "mean, 1 MB");

            double[] positions = fullForwards(model, x, "relu2", 64, i -> Interventions.zero(Sites.position(i / 8, i % 8)));
            assertClose(positions, sweep(f, model, "relu2", images, Map.of("target", "predicted", "over", "positions"), 64, 384), TOL, "positions");
            assertTrue(java.util.Arrays.stream(zero).anyMatch(d -> Math.abs(d) > 1e-3), "some unit matters");
        }
    }

    @Test
    void headsInsideAVitBlockEqualFullForwards() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 3, 64, 5).toString();
        try (HookedModel model = f.registry.openModel("demo-vit", null); NDManager m = LoupeEngine.get().newBaseManager()) {
            java.util.List<HookPoint> all = model.hookPoints(HookRole.ATTN_PROBS);
            HookPoint probs = all.get(all.size() - 1);
            assertEquals(false, probs.resumable(), "attention probabilities sit inside a block");
            int heads = (int) probs.shape().get(0);
            NDArray x = f.input(m, model, images);
            double[] full = fullForwards(model, x, probs.name(), heads, h -> Interventions.zero(Sites.heads(h)));
            assertClose(full, sweep(f, model, probs.name(), images, Map.of("target", "predicted", "over", "heads"), heads, heads * 3), TOL, "heads");
            assertTrue(java.util.Arrays.stream(full).anyMatch(d -> Math.abs(d) > 1e-4), "some head matters");
        }
    }
}

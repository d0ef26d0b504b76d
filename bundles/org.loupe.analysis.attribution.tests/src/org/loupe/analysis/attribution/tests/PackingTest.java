package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attribution.Baseline;
import org.loupe.analysis.attribution.Batched;
import org.loupe.analysis.attribution.InputAttribution;
import org.loupe.analysis.attribution.IntegratedGradients;
import org.loupe.analysis.attribution.NoiseTunnel;
import org.loupe.analysis.attribution.Rule;
import org.loupe.core.model.HookedModel;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The (image, point) and (sample, image) rows of integrated gradients and SmoothGrad are packed
 * into passes under the memory budget whatever the number of images: a 1 MB budget, whose passes
 * hold fewer rows than there are images (24) and cut through an image's points, gives the same
 * attributions as one pass for everything (64 MB), and makes the fewest passes the rows need, each
 * within the budget.
 */
class PackingTest {

    @TempDir
    Path dir;

    @Test
    void passesCutAnywhereGiveTheSameAttributions() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 24, 16, 4).toString();
        try (HookedModel net = f.registry.openModel(Fixture.oracleModel().toString(), null); NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = f.input(m, net, images);
            int[] classes = new int[24];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = i % 4;
            }
            Baseline noise = Baseline.parse("noise:3");
            int points = 24 * 41;
            check(net, x, classes, new IntegratedGradients(41, Rule.GAUSS_LEGENDRE, noise, 1), new IntegratedGradients(41, Rule.GAUSS_LEGENDRE, noise, 64),
                    points);
            for (NoiseTunnel.Variant v : NoiseTunnel.Variant.values()) {
                check(net, x, classes, new NoiseTunnel(v, 41, 0.2, 5, 1), new NoiseTunnel(v, 41, 0.2, 5, 64), points);
            }
        }
    }

    private static <A extends InputAttribution & Batched> void check(HookedModel net, NDArray x, int[] classes, A small, A large, int rows) throws Exception {
        int perPass = small.rowsPerPass(net);
        assertTrue(perPass < classes.length && rows % perPass != 0 && perPass % 41 != 0,
                "the small budget must hold fewer rows than there are images and cut inside an image's points; it holds " + perPass + " rows");
        assertTrue(large.rowsPerPass(net) >= rows);
        int[] passes = new int[2];
        float[] cut = small.attribute(net, x, classes, (done, total) -> passes[0] = total).toFloatArray();
        float[] whole = large.attribute(net, x, classes, (done, total) -> passes[1] = total).toFloatArray();
        assertEquals((rows + perPass - 1) / perPass, passes[0], small.name());
        assertEquals(1, passes[1], large.name());
        double scale = 0;
        for (float v : whole) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], cut[i], 1e-5 * scale, small.name() + ", element " + i);
        }
        System.out.printf("packing, %s: %d rows in %d passes of %d, same as one pass%n", small.name(), rows, passes[0], perPass);
    }
}

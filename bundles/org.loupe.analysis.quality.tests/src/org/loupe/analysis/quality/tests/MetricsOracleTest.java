package org.loupe.analysis.quality.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.analysis.quality.CausalFidelity;
import org.loupe.analysis.quality.CausalFidelity.Mode;
import org.loupe.analysis.quality.Classifier;
import org.loupe.analysis.quality.ImageArray;
import org.loupe.analysis.quality.Mask;
import org.loupe.analysis.quality.MuFidelity;
import org.loupe.analysis.quality.NoisyLinearImputer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.analysis.quality.PointingGame;
import org.loupe.analysis.quality.RelevanceMass;
import org.loupe.analysis.quality.Road;
import org.loupe.analysis.quality.Similarity;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

/**
 * Every metric against {@code oracle/metrics.py}, a numpy implementation written from Xplique's and
 * Quantus' definitions, on one image, its object mask and six hand-made maps (1 inside the mask, 1
 * outside, random, centre bias, signed, signed random), scored by a closed-form classifier: two
 * classes with logits {@code [0, 4 s]}, {@code s} the mean of the image over the object region.
 */
class MetricsOracleTest {

    static final int C = 3;
    static final int H = 16;
    static final int W = 16;
    static Map<String, Tensor> ref;
    static ImageArray image;
    static Mask mask;
    static List<PixelMap> maps;

    /** The closed-form classifier of the oracle: logits [0, 4 s], s the mean over rows 4..9, columns 5..11 of every channel. */
    static final Classifier SCORER = images -> {
        float[][] out = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            float[] v = images.get(i).values();
            double s = 0;
            for (int c = 0; c < C; c++) {
                for (int y = 4; y < 10; y++) {
                    for (int x = 5; x < 12; x++) {
                        s += v[c * H * W + y * W + x];
                    }
                }
            }
            s /= C * 6 * 7;
            double p1 = 1 / (1 + Math.exp(-4 * s));
            out[i] = new float[] {(float) (1 - p1), (float) p1};
        }
        return out;
    };

    @BeforeAll
    static void oracle() throws Exception {
        Path dir = Oracle.work("metrics");
        Oracle.run(dir.resolve("metrics_ref.npz"), "metrics.py", dir.toString());
        ref = Oracle.refs(dir.resolve("metrics_ref.npz"));
        image = new ImageArray(C, H, W, ref.get("image").toFloats());
        float[] m = ref.get("mask").toFloats();
        boolean[] in = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            in[i] = m[i] > 0.5f;
        }
        mask = new Mask(W, H, in);
        float[] all = ref.get("maps").toFloats();
        maps = new ArrayList<>();
        for (int k = 0; k < all.length / (H * W); k++) {
            float[] v = new float[H * W];
            System.arraycopy(all, k * H * W, v, 0, v.length);
            maps.add(new PixelMap(W, H, v));
        }
    }

    static double[] row(String key, int k) {
        Tensor t = ref.get(key);
        int n = (int) t.shape()[1];
        float[] all = t.toFloats();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = all[k * n + i];
        }
        return out;
    }

    static double at(String key, int k) {
        return ref.get(key).toFloats()[k];
    }

    @Test
    void relevanceMassAndPointingGameMatchTheOracle() {
        for (int k = 0; k < maps.size(); k++) {
            assertEquals(at("mass", k), RelevanceMass.accuracy(maps.get(k), mask), 1e-6, "relevance mass of map " + k);
            assertEquals(at("mass_abs", k), RelevanceMass.accuracy(maps.get(k), mask, true), 1e-6, "relevance mass of |map " + k + "|");
            assertEquals(at("pointing", k), PointingGame.hit(maps.get(k), mask), 1e-9, "pointing game of map " + k);
        }
        assertEquals(1, RelevanceMass.accuracy(maps.get(0), mask), "the map that is 1 inside the mask has all its mass there");
        assertEquals(1, PointingGame.hit(maps.get(0), mask));
        assertEquals(0, RelevanceMass.accuracy(maps.get(1), mask));
        assertEquals(1, RelevanceMass.accuracy(maps.get(4), mask), 1e-9, "the negative part outside the mask does not count");
    }

    @Test
    void deletionAndInsertionCurvesMatchTheOracle() {
        for (String name : List.of("del10", "ins10", "del7", "ins7")) {
            Mode mode = name.startsWith("del") ? Mode.DELETION : Mode.INSERTION;
            CausalFidelity.Settings s = name.endsWith("10") ? new CausalFidelity.Settings(mode, 10, 1, 0)
                    : new CausalFidelity.Settings(mode, 7, 0.5, -0.25f);
            for (int k = 0; k < maps.size(); k++) {
                CausalFidelity.Curve c = CausalFidelity.curve(SCORER, image, maps.get(k), 1, s);
                double[] levels = row(name + "_levels", k);
                for (int i = 0; i < levels.length; i++) {
                    assertEquals(levels[i], c.flipped()[i], name + " map " + k + ": pixels flipped at step " + i);
                }
                assertArrayEquals(row(name + "_scores", k), c.scores(), 1e-5, name + " map " + k + ": the curve");
                assertEquals(at(name + "_auc", k), c.auc(), 1e-5, name + " map " + k + ": the area");
            }
        }
    }

    @Test
    void theMapOfTheObjectHasTheBestDeletionAndInsertionAmongUninformedMaps() {
        CausalFidelity.Settings del = new CausalFidelity.Settings(Mode.DELETION, 10, 1, 0);
        CausalFidelity.Settings ins = new CausalFidelity.Settings(Mode.INSERTION, 10, 1, 0);
        double best = CausalFidelity.curve(SCORER, image, maps.get(0), 1, del).auc();
        double bestIns = CausalFidelity.curve(SCORER, image, maps.get(0), 1, ins).auc();
        for (int k : new int[] {1, 2, 3, 5}) {
            assertTrue(best < CausalFidelity.curve(SCORER, image, maps.get(k), 1, del).auc(), "deletion: object map beats map " + k);
            assertTrue(bestIns > CausalFidelity.curve(SCORER, image, maps.get(k), 1, ins).auc(), "insertion: object map beats map " + k);
        }
        // closed form: deleting the 42 object pixels (of 256) in row-major order to 0; after the last step every pixel is 0
        CausalFidelity.Curve c = CausalFidelity.curve(SCORER, image, maps.get(0), 1, del);
        assertEquals(0.5, c.scores()[10], 1e-6, "all pixels at the baseline: s = 0, p = 1/2");
        assertEquals(0.5, c.scores()[2], 1e-6, "51 pixels flipped at step 2, more than the 42 object pixels: s = 0");
        // step 1 flips 25 pixels: rows 4..6 of the object (21) and the first 4 of row 7; s is the mean over the 42 of what is left
        double left = 0;
        for (int ch = 0; ch < C; ch++) {
            for (int y = 7; y < 10; y++) {
                for (int x = y == 7 ? 9 : 5; x < 12; x++) {
                    left += image.values()[ch * H * W + y * W + x];
                }
            }
        }
        assertEquals(1 / (1 + Math.exp(-4 * left / (C * 42))), c.scores()[1], 1e-6, "25 pixels flipped");
    }

    @Test
    void muFidelityMatchesTheOracleWithTheSameSubsets() {
        float[] keepAll = ref.get("keep").toFloats();
        int cells = 16;
        boolean[][] keep = new boolean[keepAll.length / cells][cells];
        for (int s = 0; s < keep.length; s++) {
            for (int c = 0; c < cells; c++) {
                keep[s][c] = keepAll[s * cells + c] > 0.5f;
            }
        }
        MuFidelity.Settings settings = new MuFidelity.Settings(4, 0.2, keep.length, 0);
        for (int k = 0; k < maps.size(); k++) {
            assertEquals(at("mufidelity", k), MuFidelity.score(SCORER, image, maps.get(k), 1, settings, keep), 1e-5, "MuFidelity of map " + k);
        }
        double seeded = MuFidelity.score(SCORER, image, maps.get(0), 1, new MuFidelity.Settings(4, 0.2, 50, 0), new Random(3));
        assertEquals(seeded, MuFidelity.score(SCORER, image, maps.get(0), 1, new MuFidelity.Settings(4, 0.2, 50, 0), new Random(3)), "seeded");
        assertTrue(seeded > 0.9, "the object map's mass is what the score depends on: " + seeded);
    }

    @Test
    void linearImputationAndRoadMatchTheOracleWithoutNoise() {
        float[] removedF = ref.get("impute_removed").toFloats();
        boolean[] removed = new boolean[removedF.length];
        for (int i = 0; i < removed.length; i++) {
            removed[i] = removedF[i] > 0.5f;
        }
        ImageArray imputed = NoisyLinearImputer.impute(image, removed, 0, new Random(1));
        float[] expected = ref.get("imputed").toFloats();
        assertArrayEquals(expected, imputed.values(), 1e-4f, "the imputed image");
        float[] p = ref.get("percentages").toFloats();
        int[] percentages = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            percentages[i] = Math.round(p[i]);
        }
        for (int k = 0; k < maps.size(); k++) {
            assertArrayEquals(row("road_morf", k), Road.curve(SCORER, image, maps.get(k), 1, new Road.Settings(percentages, true, 0), new Random(1)),
                    "ROAD most relevant first, map " + k);
            assertArrayEquals(row("road_lerf", k), Road.curve(SCORER, image, maps.get(k), 1, new Road.Settings(percentages, false, 0), new Random(1)),
                    "ROAD least relevant first, map " + k);
        }
        ImageArray noisy = NoisyLinearImputer.impute(image, removed, 0.01, new Random(1));
        double sd = 0;
        int n = 0;
        for (int i = 0; i < expected.length; i++) {
            if (removed[i % (H * W)]) {
                double d = noisy.values()[i] - expected[i];
                sd += d * d;
                n++;
            } else {
                assertEquals(image.values()[i], noisy.values()[i], "kept pixels stay");
            }
        }
        assertEquals(0.01, Math.sqrt(sd / n), 0.002, "the noise has standard deviation 0.01 over " + n + " imputed values");
    }

    @Test
    void spearmanWithTiesMatchesTheOracle() {
        float[] a = ref.get("spear_a").toFloats();
        float[] b = ref.get("spear_b").toFloats();
        assertEquals(at("spearman", 0), Similarity.spearman(a, b), 1e-6);
        assertEquals(1, Similarity.spearman(new double[] {1, 2, 3}, new double[] {10, 20, 300}), 1e-12);
        assertTrue(Double.isNaN(Similarity.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "undefined for a constant series");
    }

    @Test
    void badSettingsAreRefusedWithTheRange() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new CausalFidelity.Settings(Mode.DELETION, 0, 1, 0)), "steps must be at least 1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> CausalFidelity.curve(SCORER, image, maps.get(0), 1,
                new CausalFidelity.Settings(Mode.DELETION, 300, 1, 0))), "steps must be between 1 and the number of pixels perturbed (256");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new CausalFidelity.Settings(Mode.INSERTION, 10, 1.5, 0)), "(0, 1]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new MuFidelity.Settings(9, 1, 200, 0)), "subset fraction");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Road.Settings(new int[] {100}, true, 0.01)), "[0, 100)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> SCORER.score(List.of(image), 2)), "class 2 is out of range", "2 classes");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> RelevanceMass.accuracy(maps.get(0), new Mask(W, H, new boolean[H * W]))),
                "mask is empty");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> RelevanceMass.accuracy(new PixelMap(8, 8, new float[64]), mask)),
                "resize the map");
    }

    static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }
}

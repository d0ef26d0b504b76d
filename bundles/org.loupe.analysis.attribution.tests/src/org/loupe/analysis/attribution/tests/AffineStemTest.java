package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.loupe.analysis.attribution.Baseline;
import org.loupe.analysis.attribution.IntegratedGradients;
import org.loupe.analysis.attribution.Progress;
import org.loupe.analysis.attribution.Rule;
import org.loupe.analysis.attribution.internal.AffineStem;
import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Range;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Integrated gradients that start at the end of an affine stem (the path made there, the summed
 * gradient pulled back once) equal the textbook computation with whole passes from the input,
 * {@code (x - b) * sum_i w_i grad f(b + a_i (x - b))}: within 1e-5 of the largest attribution on
 * the demo CNN and the demo ViT, with a black and a random baseline and two images of different
 * classes; on a torchvision ResNet-18 at 224, whose stem is {@code conv1} and {@code bn1} (the
 * ReLU after them is found not affine), see below.
 */
class AffineStemTest {

    /**
     * On ResNet-18 with seeded weights the input gradient jumps where a ReLU or a max pool switches,
     * and the path point made at the stem's end differs from the stem of the path point by float
     * rounding (about 1e-7 of the activation), enough to switch a few units: there the check is that
     * each point's gradient through the stem is the whole pass's exactly when the stem is applied to
     * the point itself, and that the sums agree to 1 % (relative L2) with the same completeness.
     */
    @Test
    void resnetStemEndsBeforeItsFirstReluAndPullsBackExactly() throws Exception {
        try (HookedModel model = Fixture.zoo("resnet18"); NDManager m = LoupeEngine.get().newBaseManager()) {
            AffineStem stem = AffineStem.of(model, m).orElseThrow();
            assertEquals("bn1", stem.end());
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(new Shape(2, 3, 224, 224));
            int[] classes = {1, 2};
            Baseline black = Baseline.parse("black");
            NDArray b = black.of(x, model.inputSpec());
            for (double a : new double[] {0.1, 0.5, 0.9}) {
                NDArray point = b.add(x.sub(b).mul(a));
                NDArray whole = Tensors.inputGradient(model, point, classes);
                NDArray atEnd = Tensors.gradient(model, stem.apply(point), Range.from(stem.end()), classes, false);
                assertEquals(0, relativeL2(whole.toFloatArray(), stem.pullBack(atEnd, point).toFloatArray()), 1e-6, "a = " + a);
            }
            int steps = 3;
            float[] mine = new IntegratedGradients(steps, Rule.GAUSS_LEGENDRE, black, 64).attribute(model, x, classes, Progress.NONE)
                    .toFloatArray();
            float[] whole = whole(model, x, b, classes, steps, m);
            double error = relativeL2(whole, mine);
            System.out.printf("affine stem, resnet18: IG through the stem against whole passes, relative L2 %.2e%n", error);
            assertTrue(error < 1e-2, "relative L2 " + error);
            for (int i = 0; i < 2; i++) {
                double sumWhole = 0;
                double sumMine = 0;
                for (int j = i * whole.length / 2; j < (i + 1) * whole.length / 2; j++) {
                    sumWhole += whole[j];
                    sumMine += mine[j];
                }
                assertEquals(sumWhole, sumMine, 1e-2 * Math.abs(sumWhole), "image " + i + "'s total");
            }
        }
    }

    @Test
    void demoCnnMatchesWholePasses() throws Exception {
        try (HookedModel model = new LoupeRegistry().openModel("demo-cnn", null)) {
            check(model, 8);
        }
    }

    @Test
    void visionTransformerMatchesWholePasses() throws Exception {
        try (HookedModel model = new LoupeRegistry().openModel("demo-vit", null)) {
            check(model, 6);
        }
    }

    /** The stem's end; the stem's IG within 1e-5 of the largest attribution of whole passes. */
    private static String check(HookedModel model, int steps) {
        int c = model.inputSpec().channels();
        int h = model.inputSpec().height();
        int w = model.inputSpec().width();
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            Optional<AffineStem> stem = AffineStem.of(model, m);
            assertTrue(stem.isPresent(), model.info().name() + ": no affine stem");
            System.out.printf("affine stem, %s: ends at %s%n", model.info().name(), stem.get().end());
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(new Shape(2, c, h, w));
            int[] classes = {1, 2};
            for (Baseline baseline : new Baseline[] {Baseline.parse("black"), Baseline.parse("noise")}) {
                NDArray b = baseline.of(x, model.inputSpec());
                float[] mine = new IntegratedGradients(steps, Rule.GAUSS_LEGENDRE, baseline, 64).attribute(model, x, classes, Progress.NONE)
                        .toFloatArray();
                float[] whole = whole(model, x, b, classes, steps, m);
                double scale = 0;
                for (float f : whole) {
                    scale = Math.max(scale, Math.abs(f));
                }
                assertTrue(scale > 0);
                for (int i = 0; i < whole.length; i++) {
                    assertEquals(whole[i], mine[i], 1e-5 * scale, model.info().name() + ", " + baseline.spec() + ", element " + i);
                }
            }
            return stem.get().end();
        }
    }

    private static double relativeL2(float[] expected, float[] actual) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            num += (expected[i] - actual[i]) * (double) (expected[i] - actual[i]);
            den += expected[i] * (double) expected[i];
        }
        return Math.sqrt(num / den);
    }

    /** The textbook sum over whole passes, one path point at a time. */
    private static float[] whole(HookedModel model, NDArray x, NDArray b, int[] classes, int steps, NDManager m) {
        double[][] points = Rule.GAUSS_LEGENDRE.points(steps);
        NDArray diff = x.sub(b);
        NDArray sum = x.zerosLike();
        for (int i = 0; i < steps; i++) {
            NDArray point = b.add(diff.mul(points[0][i]));
            NDArray g = Tensors.inputGradient(model, point, classes);
            sum.addi(g.mul(points[1][i]));
            point.close();
            g.close();
        }
        float[] out = sum.mul(diff).toFloatArray();
        sum.close();
        diff.close();
        return out;
    }
}

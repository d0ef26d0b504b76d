package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.loupe.analysis.attribution.Baseline;
import org.loupe.analysis.attribution.IntegratedGradients;
import org.loupe.analysis.attribution.Progress;
import org.loupe.analysis.attribution.Rule;
import org.loupe.core.model.HookedModel;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Integrated gradients with {@code foldNorms} (batch norms folded into the convolutions in the
 * passes) on a torchvision ResNet-18 with seeded weights at 224: the fold takes effect (the maps are
 * not the unfolded ones bit for bit), and the maps are the unfolded ones to float rounding: within
 * 1 % relative L2, with each image's total, which completeness ties to {@code f(x) - f(b)}, within
 * 0.1 %.
 */
class FoldedNormsTest {

    @Test
    void foldedPassesGiveTheSameAttributionsToRounding() throws Exception {
        try (HookedModel model = Fixture.zoo("resnet18"); NDManager m = LoupeEngine.get().newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 3, 224, 224));
            int[] classes = {3, 7};
            Baseline black = Baseline.parse("black");
            float[] exact = new IntegratedGradients(8, Rule.GAUSS_LEGENDRE, black, 256, false).attribute(model, x, classes, Progress.NONE)
                    .toFloatArray();
            float[] folded = new IntegratedGradients(8, Rule.GAUSS_LEGENDRE, black, 256, true).attribute(model, x, classes, Progress.NONE)
                    .toFloatArray();
            assertFalse(Arrays.equals(exact, folded), "foldNorms changed nothing: the batch norms were not folded");
            double num = 0;
            double den = 0;
            for (int i = 0; i < exact.length; i++) {
                num += (exact[i] - folded[i]) * (double) (exact[i] - folded[i]);
                den += exact[i] * (double) exact[i];
            }
            double error = Math.sqrt(num / den);
            System.out.printf("IG with folded batch norms, resnet18: relative L2 %.2e against unfolded passes%n", error);
            assertTrue(error < 1e-2, "relative L2 " + error);
            int per = exact.length / 2;
            for (int image = 0; image < 2; image++) {
                double sumExact = 0;
                double sumFolded = 0;
                for (int j = image * per; j < (image + 1) * per; j++) {
                    sumExact += exact[j];
                    sumFolded += folded[j];
                }
                assertEquals(sumExact, sumFolded, 1e-3 * Math.abs(sumExact), "image " + image + "'s total");
            }
        }
    }
}

package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.loupe.analysis.attribution.internal.IncrementalOcclusion;
import org.loupe.analysis.attribution.internal.Perturbed;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Occlusion computed on crops of the early feature maps gives the scores of full passes over the
 * occluded images: on the demo CNN (every window), on a torchvision ResNet-18 and on InceptionV1 in
 * Lucent's layout (ceil-mode max pools) at 224 with 16x16 windows, stride 8 (a sample of the
 * windows: a spread of them and half of those at the right and bottom borders, where padding and
 * ceil-mode pooling differ). A Vision Transformer, whose every token sees every patch, crops only
 * its patch embedding.
 */
class IncrementalOcclusionTest {

    @Test
    void demoCnnMatchesFullPassesOnEveryWindow() throws Exception {
        try (HookedModel model = new LoupeRegistry().openModel("demo-cnn", null)) {
            check(model, 8, 4, 1, 2);
        }
    }

    @Test
    void resnetMatchesFullPasses() throws Exception {
        try (HookedModel model = Fixture.zoo("resnet18")) {
            check(model, 16, 8, 9, 3);
        }
    }

    @Test
    void inceptionMatchesFullPasses() throws Exception {
        try (HookedModel model = Fixture.zoo("inceptionv1")) {
            check(model, 16, 8, 9, 3);
        }
    }

    @Test
    void visionTransformerCropsOnlyItsPatchEmbedding() throws Exception {
        try (HookedModel model = new LoupeRegistry().openModel("demo-vit", null)) {
            assertEquals("patch_embed.proj", check(model, 8, 4, 1, 1).resumePoint());
        }
    }

    /** Every {@code every}-th window and every other one at the right or bottom border; at least {@code stages} stages; scores within 1e-5 of the scale. */
    private static IncrementalOcclusion check(HookedModel model, int window, int stride, int every, int stages) {
        List<int[]> all = windows(model, window, stride);
        int h = model.inputSpec().height();
        int w = model.inputSpec().width();
        List<int[]> sample = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int[] r = all.get(i);
            if (i % every == 0 || (i % 2 == 0 && (r[1] == h || r[3] == w))) {
                sample.add(r);
            }
        }
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            Optional<IncrementalOcclusion> plan = IncrementalOcclusion.plan(model, all, m);
            assertTrue(plan.isPresent(), model.info().name() + ": no plan");
            IncrementalOcclusion p = plan.get();
            System.out.printf("incremental occlusion, %s: %d stages, resumes from %s; %d of %d windows checked%n", model.info().name(),
                    p.stages(), p.resumePoint(), sample.size(), all.size());
            assertTrue(p.stages() >= stages, model.info().name() + ": only " + p.stages() + " stages");
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(1, model.inputSpec().channels(), h, w));
            NDArray b = m.randomUniform(-1, 1, new Shape(1, model.inputSpec().channels(), h, w));
            List<NDArray> clean = p.clean(x);
            for (int cls : every == 1 ? new int[] {0, 3} : new int[] {3}) {
                for (int s0 = 0; s0 < sample.size(); s0 += 16) {
                    List<int[]> batch = sample.subList(s0, Math.min(sample.size(), s0 + 16));
                    float[] full = Perturbed.scores(model, x, b, batch, cls, false);
                    float[] mine = p.scores(x, b, clean, batch, cls, false);
                    double scale = 1;
                    for (float f : full) {
                        scale = Math.max(scale, Math.abs(f));
                    }
                    for (int j = 0; j < full.length; j++) {
                        assertEquals(full[j], mine[j], 1e-5 * scale, model.info().name() + ", window " + Arrays.toString(batch.get(j)));
                    }
                    assertTrue(p.matches(x, b, clean, batch, cls, false, full));
                    full[0] += (float) (1e-3 * scale);
                    assertFalse(p.matches(x, b, clean, batch, cls, false, full), "a differing score is caught");
                }
            }
            return p;
        }
    }

    private static List<int[]> windows(HookedModel model, int window, int stride) {
        int h = model.inputSpec().height();
        int w = model.inputSpec().width();
        List<int[]> out = new ArrayList<>();
        for (int y = 0; y < h; y += stride) {
            for (int x = 0; x < w; x += stride) {
                out.add(new int[] {y, Math.min(h, y + window), x, Math.min(w, x + window)});
                if (x + window >= w) {
                    break;
                }
            }
            if (y + window >= h) {
                break;
            }
        }
        return out;
    }
}

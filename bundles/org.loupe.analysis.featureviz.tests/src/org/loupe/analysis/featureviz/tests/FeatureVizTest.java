package org.loupe.analysis.featureviz.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.featureviz.ImageParam;
import org.loupe.analysis.featureviz.Objective;
import org.loupe.analysis.featureviz.ObjectiveParser;
import org.loupe.analysis.featureviz.PixelImage;
import org.loupe.analysis.featureviz.Transform;
import org.loupe.analysis.featureviz.Visualizer;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Safetensors;

import ai.djl.ndarray.NDManager;

/**
 * Feature visualisation end to end: a closed-form optimum on a 1x1 convolution, reproducibility
 * by seed, the analyses through the runner on the demo CNN and ViT, and bad input.
 */
class FeatureVizTest {

    static final float[] W0 = {0.3f, -0.2f, 0.5f};

    @TempDir
    static Path dir;

    static LoupeRegistry registry;
    static HookedModel cnn;

    @BeforeAll
    static void open() throws Exception {
        registry = new LoupeRegistry();
        cnn = registry.openModel("demo-cnn", null);
    }

    @AfterAll
    static void close() {
        cnn.close();
    }

    private static HookedModel oneByOne() throws Exception {
        Files.writeString(dir.resolve("lin.json"), """
                {"architecture": "sequential-cnn", "name": "Linear unit",
                 "input": {"channels": 3, "height": 8, "width": 8},
                 "layers": [{"name": "conv", "type": "conv2d", "out_channels": 2, "kernel": 1, "bias": false}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv.weight", new float[] {W0[0], W0[1], W0[2], 1, 1, 1});
        Safetensors.write(dir.resolve("lin.safetensors"), t, Map.of("conv.weight", new long[] {2, 3, 1, 1}));
        return registry.openModel(dir.resolve("lin.json").toString(), null);
    }

    /**
     * Every array a step makes is freed with the step: after a run with Lucent's whole recipe (FFT
     * image, colour decorrelation, every transform), the manager that owns the image holds as many
     * arrays after 12 steps as after 3. A result belongs to its left operand's manager in DJL, so a
     * run-long constant on the left of a product once kept every step's arrays (a 23 GB test JVM).
     */
    @Test
    void aRunKeepsNoArrayOfItsSteps() throws Exception {
        int[] held = new int[2];
        int[] steps = {3, 12};
        for (int i = 0; i < 2; i++) {
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                org.loupe.analysis.featureviz.Recipe r = new org.loupe.analysis.featureviz.Recipe(
                        org.loupe.analysis.featureviz.Recipe.Parameterization.FFT, true, org.loupe.analysis.featureviz.Recipe.TransformSet.LUCENT,
                        32, 2, 1);
                Random random = new Random(5);
                ImageParam image = r.build(m, 3, random, null, null);
                new Visualizer(cnn, new ObjectiveParser(cnn).parse("relu2:3"), r.transform()).run(image,
                        new Visualizer.Settings(steps[i], 0.05, 0), random, false, (s, x) -> {
                        }, () -> {
                        });
                held[i] = m.getManagedArrays().size();
            }
        }
        assertEquals(held[0], held[1], "arrays held after 3 and after 12 steps");
    }

    /**
     * Maximising a 1x1 convolution's channel, {@code mean_p(w . x_p)}, minus {@code |x|^2 / (2P)}
     * over P pixels has its optimum at {@code x_p = w} for every pixel, where the objective is
     * {@code |w|^2 / 2}; Adam in pixel space (no sigmoid, no transforms) gets there.
     */
    @Test
    void theOptimiserReachesTheClosedFormOptimum() throws Exception {
        try (HookedModel model = oneByOne(); NDManager m = LoupeEngine.get().newBaseManager()) {
            Objective o = new ObjectiveParser(model).parse("conv:0 - 0.0078125 * l2 * l2");
            ImageParam image = PixelImage.noise(m, 1, 3, 8, 8, new Random(3));
            Visualizer v = new Visualizer(model, o, Transform.none());
            Visualizer.Outcome out = v.run(image, new Visualizer.Settings(1500, 0.05, 0), new Random(3), false, (s, x) -> {
            }, () -> {
            });
            float[] px = out.pixels();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 64; i++) {
                    assertEquals(W0[c], px[c * 64 + i], 1e-3, "pixel " + i + " of channel " + c);
                }
            }
            double best = (W0[0] * W0[0] + W0[1] * W0[1] + W0[2] * W0[2]) / 2.0;
            assertEquals(best, out.values()[out.values().length - 1], 1e-5);
            assertTrue(out.values()[0] < best - 0.1, "it starts far from the optimum");
        }
    }

    /**
     * A tracked part of the objective is recorded at every step: for the same closed-form problem the
     * channel term alone ends at {@code |w|^2} (twice the objective), and never falls below the
     * objective, which only subtracts a penalty from it.
     */
    @Test
    void trackedPartsOfTheObjectiveAreRecordedAtEveryStep() throws Exception {
        try (HookedModel model = oneByOne(); NDManager m = LoupeEngine.get().newBaseManager()) {
            ObjectiveParser parser = new ObjectiveParser(model);
            Objective o = parser.parse("conv:0 - 0.0078125 * l2 * l2");
            ImageParam image = PixelImage.noise(m, 1, 3, 8, 8, new Random(3));
            Visualizer v = new Visualizer(model, o, Transform.none()).tracking(List.of(parser.parse("conv:0")));
            Visualizer.Outcome out = v.run(image, new Visualizer.Settings(1500, 0.05, 0), new Random(3), false, (s, x) -> {
            }, () -> {
            });
            assertEquals(1, out.tracked().length);
            double[] channel = out.tracked()[0];
            assertEquals(1500, channel.length);
            double w2 = W0[0] * W0[0] + W0[1] * W0[1] + W0[2] * W0[2];
            assertEquals(w2, channel[1499], 1e-4);
            for (int s = 0; s < 1500; s++) {
                assertTrue(channel[s] >= out.values()[s] - 1e-6, "step " + s + ": " + channel[s] + " < " + out.values()[s]);
            }
        }
    }

    private static Result run(HookedModel model, String id, Selection s, Map<String, String> params, long seed) throws AnalysisException {
        return new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(id, model, s, params, seed), null).result();
    }

    private static int[] pixels(Result r) {
        return ((ImageResult) ((CompositeResult) r).parts().get(1)).image().rgb();
    }

    @Test
    void theSameSeedGivesTheSameImageAndAnotherSeedAnother() throws Exception {
        Map<String, String> p = Map.of("steps", "12", "size", "32");
        Selection s = new Selection("relu2", 3, null);
        int[] a = pixels(run(cnn, "org.loupe.analysis.featureviz", s, p, 7));
        int[] b = pixels(run(cnn, "org.loupe.analysis.featureviz", s, p, 7));
        int[] c = pixels(run(cnn, "org.loupe.analysis.featureviz", s, p, 8));
        assertArrayEquals(a, b, "same seed, same image");
        assertFalse(java.util.Arrays.equals(a, c), "another seed, another image");
    }

    @Test
    void aUnitIsVisualisedWithItsCurveAndTheObjectiveRises() throws Exception {
        CompositeResult r = (CompositeResult) run(cnn, "org.loupe.analysis.featureviz", new Selection("relu1", 5, null),
                Map.of("steps", "64"), 1);
        assertEquals(List.of(TextResult.class, ImageResult.class, ChartResult.class), r.parts().stream().map(Object::getClass).toList());
        double[] y = ((ChartResult) r.parts().get(2)).series().get(0).y();
        assertEquals(64, y.length);
        assertTrue(y[63] > 2 * Math.max(y[0], 0.01), "the objective rises: " + y[0] + " -> " + y[63]);
        assertEquals(64, ((ImageResult) r.parts().get(1)).image().width());
        String summary = ((TextResult) r.parts().get(0)).text();
        assertTrue(summary.contains("relu1:5") && summary.contains("seed 1") && summary.contains("stops after relu1"), summary);
    }

    @Test
    void anObjectiveExpressionAClassLogitAndAViTToken() throws Exception {
        CompositeResult r = (CompositeResult) run(cnn, "org.loupe.analysis.featureviz", Selection.NONE,
                Map.of("steps", "24", "objective", "logit(star) - 0.5*logit(circle)", "batch", "2"), 1);
        double[] y = ((ChartResult) r.parts().get(2)).series().get(0).y();
        assertTrue(y[23] > y[0], "the logit difference rises");
        try (HookedModel vit = registry.openModel("demo-vit", null)) {
            String block = vit.hookPoints().stream().filter(h -> h.kind() == org.loupe.core.model.HookKind.TOKENS).findFirst().orElseThrow().name();
            CompositeResult v = (CompositeResult) run(vit, "org.loupe.analysis.featureviz", Selection.NONE,
                    Map.of("steps", "16", "objective", "neuron(" + block + ", 3) + " + block + ":4", "param", "maco"), 1);
            assertInstanceOf(HeatMapResult.class, v.parts().get(3), "MaCo returns its transparency map");
            float[] t = ((HeatMapResult) v.parts().get(3)).map().values();
            double max = 0;
            for (float x : t) {
                max = Math.max(max, x);
            }
            assertTrue(max > 0, "the transparency map accumulates gradients");
        }
    }

    @Test
    void aLayerGalleryHasOneUnitPerItemLinkedToTheUnit() throws Exception {
        List<Result> partials = new ArrayList<>();
        var run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest("org.loupe.analysis.featurevizLayer", cnn,
                Selection.of("relu1"), Map.of("steps", "8", "units", "0-5", "batch", "4", "size", "32", "param", "pixel"), 2), null, partials::add);
        GalleryResult g = (GalleryResult) ((CompositeResult) run.result()).parts().get(1);
        assertEquals(6, g.items().size());
        for (int i = 0; i < 6; i++) {
            assertEquals("demo-cnn#relu1:" + i, g.items().get(i).unit().link());
            assertTrue(g.items().get(i).value() != null);
        }
        assertEquals(List.of(4, 6), partials.stream().map(p -> ((GalleryResult) p).items().size()).toList(), "the gallery fills in batch by batch");
        for (int i = 0; i < 6; i++) {
            CompositeResult detail = (CompositeResult) g.items().get(i).detail();
            assertEquals(g.items().get(i).image(), ((ImageResult) detail.parts().get(0)).image(), "the detail shows the unit's picture");
            double[] curve = ((ChartResult) detail.parts().get(1)).series().get(0).y();
            assertEquals(8, curve.length, "one objective value per step");
            for (double y : curve) {
                assertTrue(Double.isFinite(y));
            }
            String text = ((TextResult) detail.parts().get(2)).text();
            assertTrue(text.contains("demo-cnn#relu1:" + i) && text.contains("8 steps") && text.contains("seed 2"), text);
        }
        assertEquals(run.result(), new RunStore(dir.resolve("runs")).load(run.id()).result(), "the details are stored with the run");
    }

    @Test
    void badInputIsToldClearly() {
        Selection none = Selection.NONE;
        String unknown = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", none, Map.of("objective", "relu9:1", "steps", "1"), 0)).getMessage();
        assertTrue(unknown.contains("relu9") && unknown.contains("relu1"), unknown);
        String malformed = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", none, Map.of("objective", "relu3:5 -", "steps", "1"), 0)).getMessage();
        assertTrue(malformed.contains("ends early") && malformed.contains("relu3:5 -"), malformed);
        String range = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", none, Map.of("objective", "relu3:64", "steps", "1"), 0)).getMessage();
        assertTrue(range.contains("unit 64 is out of range") && range.contains("0..63"), range);
        String label = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", none, Map.of("objective", "logit(dog)", "steps", "1"), 0)).getMessage();
        assertTrue(label.contains("'dog' is not a class") && label.contains("star"), label);
        String size = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", new Selection("relu1", 0, null), Map.of("size", "4", "steps", "1"), 0)).getMessage();
        assertTrue(size.contains("size must be 0") && size.contains("got 4"), size);
        String big = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", new Selection("relu1", 0, null), Map.of("size", "5000", "steps", "1"), 0)).getMessage();
        assertTrue(big.contains("size"), big);
        String nothing = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", none, Map.of("steps", "1"), 0)).getMessage();
        assertTrue(nothing.contains("--param objective=") && nothing.contains("--layer"), nothing);
        String penalties = assertThrows(AnalysisException.class,
                () -> run(cnn, "org.loupe.analysis.featureviz", none, Map.of("objective", "-tv", "steps", "1"), 0)).getMessage();
        assertTrue(penalties.contains("reads no hook point"), penalties);
        for (String msg : List.of(unknown, malformed, range, label, size, big, nothing, penalties)) {
            assertFalse(msg.contains("Exception"), "no exception class names in messages: " + msg);
        }
    }
}

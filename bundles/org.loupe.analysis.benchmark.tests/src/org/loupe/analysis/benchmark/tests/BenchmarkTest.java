package org.loupe.analysis.benchmark.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attribution.Saliency;
import org.loupe.analysis.benchmark.BenchmarkExplainers;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.analysis.quality.RandomisationCheck;
import org.loupe.cli.Cli;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Run;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The metric analyses and the explanation benchmark on the demo CNN and ViT, through the runner, the run store and the command line. */
class BenchmarkTest {

    static final String BENCHMARK = "org.loupe.analysis.benchmark.explanationBenchmark";
    static LoupeRegistry registry;
    static HookedModel cnn;
    static HookedModel vit;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        registry = new LoupeRegistry();
        cnn = registry.openModel("demo-cnn", null);
        vit = registry.openModel("demo-vit", null);
    }

    @AfterAll
    static void close() {
        cnn.close();
        vit.close();
    }

    Run run(String id, HookedModel model, String images, Map<String, String> params) throws AnalysisException {
        return new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(id, model, new Selection(null, null, images),
                params, 0), null);
    }

    static TableResult table(CompositeResult r) {
        return (TableResult) r.parts().stream().filter(p -> p instanceof TableResult).findFirst().orElseThrow();
    }

    static double value(TableResult t, String method, String columnStart) {
        int c = -1;
        for (int i = 0; i < t.columns().size(); i++) {
            if (t.columns().get(i).startsWith(columnStart)) {
                c = i;
            }
        }
        assertTrue(c >= 0, "no column " + columnStart + " in " + t.columns());
        for (List<Object> row : t.rows()) {
            if (row.get(0).equals(method)) {
                return ((Number) row.get(c)).doubleValue();
            }
        }
        throw new AssertionError("no row " + method + " in the table");
    }

    static void print(String tag, CompositeResult r) {
        System.out.println("[" + tag + "] " + ((TextResult) r.parts().get(0)).text());
        TableResult t = table(r);
        System.out.println("[" + tag + "] " + t.columns());
        t.rows().forEach(row -> System.out.println("[" + tag + "] " + row));
    }

    @Test
    void benchmarkOfTheDemoCnnRanksSaliencyAboveTheBaselinesAndReopens() throws Exception {
        Run run = run(BENCHMARK, cnn, null, Map.of("count", "24", "methods", "saliency"));
        CompositeResult r = (CompositeResult) run.result();
        print("benchmark demo-cnn", r);
        TableResult t = table(r);
        assertEquals(List.of("saliency", "baseline: random map", "baseline: centre bias"), t.rows().stream().map(row -> row.get(0)).toList());
        for (String col : List.of("pointing game", "relevance mass", "ROAD LeRF")) {
            double s = value(t, "saliency", col);
            assertTrue(s > value(t, "baseline: random map", col) && s > value(t, "baseline: centre bias", col), col + ": saliency " + s + " above both baselines");
        }
        for (String col : List.of("deletion AUC", "ROAD MoRF")) {
            double s = value(t, "saliency", col);
            assertTrue(s < value(t, "baseline: random map", col) && s < value(t, "baseline: centre bias", col), col + ": saliency " + s + " below both baselines");
        }
        // measured, and true of the demo CNN: its saliency is speckled, so inserting its top pixels into a blank image builds less of the
        // shape than the centre-bias blob does (0.29 against 0.51 at 24 images), and MuFidelity's 9 x 9 cells favour smooth maps too
        assertTrue(value(t, "saliency", "insertion AUC") < value(t, "baseline: centre bias", "insertion AUC"), "insertion: the centre bias wins on the CNN");
        assertEquals(1.0, value(t, "baseline: centre bias", "randomisation similarity"), 1e-9, "the centre bias ignores the model: similarity 1");
        assertEquals("passes", t.rows().get(0).get(t.columns().indexOf("randomisation check")), "saliency changes with the weights");
        assertEquals("fails", t.rows().get(2).get(t.columns().indexOf("randomisation check")));
        assertTrue(r.parts().stream().anyMatch(p -> p instanceof org.loupe.core.result.ChartResult), "bar charts");
        assertEquals(24, run.provenance().images().count(), "exactly count images are read");
        Run reopened = new RunStore(dir.resolve("runs")).load(run.id());
        assertEquals(r, reopened.result(), "the leaderboard reopens unchanged");
    }

    @Test
    void benchmarkOfTheDemoVitScoresTheAttentionMethods() throws Exception {
        CompositeResult r = (CompositeResult) run(BENCHMARK, vit, null, Map.of("count", "24",
                "methods", "saliency+attention-rollout+attention-rollout-discard-0.9+gradient-rollout+raw-attention-last-layer")).result();
        print("benchmark demo-vit", r);
        TableResult t = table(r);
        assertEquals(7, t.rows().size(), "saliency, 4 attention methods, 2 baselines");
        for (String method : List.of("saliency", "attention rollout", "gradient rollout")) {
            double pg = value(t, method, "pointing game");
            assertTrue(pg > value(t, "baseline: random map", "pointing game") && pg > value(t, "baseline: centre bias", "pointing game"),
                    method + " pointing game " + pg + " above both baselines");
            double mass = value(t, method, "relevance mass");
            assertTrue(mass > value(t, "baseline: random map", "relevance mass") && mass > value(t, "baseline: centre bias", "relevance mass"),
                    method + " relevance mass " + mass + " above both baselines");
        }
    }

    /** A Sobel edge map of the input: knows nothing of the model, so randomising the weights cannot change it. */
    static final class EdgeMap implements Explainer {
        @Override
        public String name() {
            return "edge map";
        }

        @Override
        public List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) {
            int n = (int) input.getShape().get(0);
            int c = (int) input.getShape().get(1);
            int h = (int) input.getShape().get(2);
            int w = (int) input.getShape().get(3);
            float[] v = input.toFloatArray();
            List<PixelMap> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] g = new float[h * w];
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        double gx = 0;
                        double gy = 0;
                        for (int ch = 0; ch < c; ch++) {
                            int o = (i * c + ch) * h * w;
                            gx += v[o + (y - 1) * w + x + 1] + 2 * v[o + y * w + x + 1] + v[o + (y + 1) * w + x + 1] - v[o + (y - 1) * w + x - 1]
                                    - 2 * v[o + y * w + x - 1] - v[o + (y + 1) * w + x - 1];
                            gy += v[o + (y + 1) * w + x - 1] + 2 * v[o + (y + 1) * w + x] + v[o + (y + 1) * w + x + 1] - v[o + (y - 1) * w + x - 1]
                                    - 2 * v[o + (y - 1) * w + x] - v[o + (y - 1) * w + x + 1];
                        }
                        g[y * w + x] = (float) Math.hypot(gx, gy);
                    }
                }
                out.add(new PixelMap(w, h, g));
            }
            return out;
        }
    }

    @Test
    void randomisationCheckFailsAnEdgeMapPassesSaliencyAndRestoresTheWeights() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            List<SourceImage> images = new ArrayList<>();
            try (ImageSource s = registry.openImages("loupe-shapes:split=test,count=6", 0)) {
                s.forEach(images::add);
            }
            NDArray input = ImageTensors.toInput(m, images.stream().map(SourceImage::image).toList(), cnn.inputSpec());
            float[] before = cnn.forward(input, Hooks.none()).output().toFloatArray();
            int[] classes = new int[images.size()];
            RandomisationCheck.Outcome edge = RandomisationCheck.run(cnn, new EdgeMap(), input, classes, true, 0.5, 3, m);
            RandomisationCheck.Outcome saliency = RandomisationCheck.run(cnn, new Saliency(false), input, classes, true, 0.5, 3, m);
            System.out.println("[randomisation demo-cnn] layers " + saliency.layers());
            System.out.println("[randomisation demo-cnn] saliency " + java.util.Arrays.toString(saliency.similarity()));
            System.out.println("[randomisation demo-cnn] edge map " + java.util.Arrays.toString(edge.similarity()));
            for (double s : edge.similarity()) {
                assertEquals(1, s, 1e-12, "the edge map does not change");
            }
            assertFalse(edge.passes(), "a method that ignores the weights fails");
            assertTrue(saliency.passes(), "saliency with every layer random: " + saliency.finalSimilarity());
            assertTrue(saliency.similarity()[0] < 1, "randomising the top layer already changes saliency: " + saliency.similarity()[0]);
            float[] after = cnn.forward(input, Hooks.none()).output().toFloatArray();
            assertArrayEquals(before, after, "the weights are back bit for bit");
        }
    }

    /** Saliency that, each time it is asked, also runs the open model and keeps both outputs. */
    static final class Watching implements Explainer {
        final List<float[]> given = new ArrayList<>();
        final List<float[]> open = new ArrayList<>();
        final List<Boolean> sameModel = new ArrayList<>();

        @Override
        public String name() {
            return "watching saliency";
        }

        @Override
        public List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) throws AnalysisException {
            given.add(model.forward(input, Hooks.none()).output().toFloatArray());
            open.add(cnn.forward(input, Hooks.none()).output().toFloatArray());
            sameModel.add(model == cnn);
            return new Saliency(false).explain(model, input, classes);
        }
    }

    @Test
    void randomisationCheckNeverChangesTheOpenModelWhileItRuns() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            List<SourceImage> images = new ArrayList<>();
            try (ImageSource s = registry.openImages("loupe-shapes:split=test,count=4", 0)) {
                s.forEach(images::add);
            }
            NDArray input = ImageTensors.toInput(m, images.stream().map(SourceImage::image).toList(), cnn.inputSpec());
            float[] before = cnn.forward(input, Hooks.none()).output().toFloatArray();
            Watching watching = new Watching();
            RandomisationCheck.Outcome o = RandomisationCheck.run(cnn, watching, input, new int[images.size()], true, 0.5, 3, m);
            int steps = o.similarity().length;
            assertEquals(steps + 1, watching.open.size(), "one explanation of the trained model, one per randomised step");
            assertTrue(steps > 1, "the demo CNN has several layers: " + o.layers());
            for (int i = 0; i < watching.open.size(); i++) {
                assertArrayEquals(before, watching.open.get(i), "the open model's output during explanation " + i);
            }
            assertTrue(watching.sameModel.get(0), "the trained maps are made on the open model");
            for (int i = 1; i <= steps; i++) {
                assertFalse(watching.sameModel.get(i), "step " + i + " runs on a view, not on the open model");
                assertFalse(java.util.Arrays.equals(before, watching.given.get(i)), "step " + i + " sees random weights");
            }
        }
    }

    @Test
    void metricAnalysesRunOnTheCommandLineAndExportCsv() throws Exception {
        for (String command : List.of("deletion", "insertion", "mufidelity", "road", "relevance-mass", "randomisation-check")) {
            Path out = dir.resolve("out-" + command);
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            String params = switch (command) {
                case "mufidelity" -> "method=saliency,samples=20";
                case "road" -> "method=saliency,percentStep=20";
                case "randomisation-check" -> "method=gradient-rollout,images=2";
                default -> "method=saliency";
            };
            int code = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8))
                    .run("run", command, "--model", command.equals("randomisation-check") ? "demo-vit" : "demo-cnn", "--image",
                            "loupe-shapes:split=test,count=4", "--param", params, "--out", out.toString(), "--runs", dir.resolve("runs").toString());
            assertEquals(0, code, command + ": " + e.toString(StandardCharsets.UTF_8));
            try (var files = Files.list(out)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".csv")), command + ": the table is exported as CSV");
            }
            assertTrue(Files.readString(out.resolve("run.json")).contains("baseline: centre bias"), command + ": the baselines are scored too");
        }
    }

    @Test
    void badInputGetsClearMessages() throws Exception {
        AnalysisException e = assertThrows(AnalysisException.class, () -> run("org.loupe.analysis.benchmark.deletion", cnn,
                "loupe-shapes:split=test,count=2", Map.of("method", "lrp")));
        assertMessage(e, "unknown method 'lrp'", "'saliency'");
        e = assertThrows(AnalysisException.class, () -> run("org.loupe.analysis.benchmark.deletion", vit, "loupe-shapes:split=test,count=2",
                Map.of("method", "lrp")));
        assertMessage(e, "'saliency'", "'attention-rollout'", "'gradient-rollout'");
        assertEquals("gradient rollout", BenchmarkExplainers.find(vit, "Gradient-Rollout").name());
        assertMessage(assertThrows(AnalysisException.class, () -> run("org.loupe.analysis.benchmark.relevanceMass", cnn, "noise:count=2,size=64",
                Map.of())), "has an object mask", "loupe-shapes");
        assertMessage(assertThrows(AnalysisException.class, () -> run("org.loupe.analysis.benchmark.deletion", cnn, "loupe-shapes:split=test,count=2",
                Map.of("steps", "5000"))), "steps must be between 1 and the number of pixels perturbed (4096");
        assertMessage(assertThrows(AnalysisException.class, () -> run("org.loupe.analysis.benchmark.deletion", cnn, "loupe-shapes:split=test,count=2",
                Map.of("steps", "0"))), "steps");
        assertMessage(assertThrows(AnalysisException.class, () -> run("org.loupe.analysis.benchmark.muFidelity", cnn, "loupe-shapes:split=test,count=2",
                Map.of("subsetFraction", "1"))), "subset fraction");
    }

    static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("Exception"), "no exception class names: " + e.getMessage());
    }

}

package org.loupe.analysis.attention.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attention.AttentionEvaluation;
import org.loupe.analysis.attention.AttentionResult;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Method;
import org.loupe.analysis.attention.Rollout;
import org.loupe.analysis.quality.Mask;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.analysis.quality.PointingGame;
import org.loupe.cli.Cli;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.Run;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;

/** The rollout and attention-eval analyses on the demo ViT, through the runner, the run store and the command line. */
class AttentionAnalysisTest {

    static final String ROLLOUT = "org.loupe.analysis.attention.rollout";
    static final String EVAL = "org.loupe.analysis.attention.evaluation";
    static final String IMAGES = "loupe-shapes:split=test,count=6";

    static LoupeRegistry registry;
    static HookedModel vit;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        registry = new LoupeRegistry();
        vit = registry.openModel("demo-vit", null);
    }

    @AfterAll
    static void close() {
        vit.close();
    }

    Run run(String id, HookedModel model, String images, Map<String, String> params) throws AnalysisException {
        return new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(id, model, new Selection(null, null, images),
                params, 0), null);
    }

    @Test
    void gradientRolloutMapsSitOnTheShapesAndReopenUnchanged() throws Exception {
        Run run = run(ROLLOUT, vit, IMAGES, Map.of("method", "grad-rollout"));
        CompositeResult r = (CompositeResult) run.result();
        assertEquals(8, r.parts().size(), "summary, 6 heat maps, the attention");
        assertTrue(((TextResult) r.parts().get(0)).text().contains("4 attention layers x 4 heads, 257 tokens (class token 0, 16x16 patches)"),
                ((TextResult) r.parts().get(0)).text());
        AttentionResult a = assertInstanceOf(AttentionResult.class, r.parts().get(7));
        assertEquals(Method.GRAD_ROLLOUT, a.method());
        assertEquals(3, a.layer(), "layer -1 is the last");
        assertTrue(a.stacks().get(0).hasGradients());

        PointingGame game = new PointingGame();
        try (ImageSource shapes = registry.openImages(IMAGES, 0)) {
            int i = 0;
            for (SourceImage s : shapes) {
                HeatMapResult h = (HeatMapResult) r.parts().get(1 + i);
                assertArrayEquals(a.map(i), h.map().values(), "the heat map is the attention result's map");
                assertEquals(16, h.map().height());
                assertEquals(64, h.image().width());
                assertEquals(Rollout.gradRollout(a.stacks().get(i), 0, -1).length, 256);
                RasterImage mask = ImageTensors.fit((RasterImage) s.groundTruth().get("mask"), 64, 64);
                Mask m = AttentionEvaluation.mask(mask);
                PixelMap map = new PixelMap(16, 16, h.map().values()).resize(64, 64);
                game.add(map, m);
                assertTrue(meanInside(map, m) > 2 * meanOutside(map, m), "image " + i + ": the map is on the shape, not the background ("
                        + meanInside(map, m) + " inside, " + meanOutside(map, m) + " outside)");
                i++;
            }
        }
        assertTrue(game.accuracy() >= 5 / 6.0, "pointing game on 6 held-out images: " + game.accuracy());

        Run reopened = new RunStore(dir.resolve("runs")).load(run.id());
        assertEquals(r, reopened.result(), "the attention and every map come back bit for bit");
    }

    static double meanInside(PixelMap map, Mask m) {
        return mean(map, m, true);
    }

    static double meanOutside(PixelMap map, Mask m) {
        return mean(map, m, false);
    }

    static double mean(PixelMap map, Mask m, boolean inside) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < m.inside().length; i++) {
            if (m.inside()[i] == inside) {
                s += map.values()[i];
                n++;
            }
        }
        return s / n;
    }

    @Test
    void rawAttentionWithoutGradientsAndItsSettings() throws Exception {
        Run run = run(ROLLOUT, vit, "loupe-shapes:split=test,count=2", Map.of("method", "raw", "layer", "1", "head", "2", "gradients", "false",
                "token", "10"));
        AttentionResult a = (AttentionResult) ((CompositeResult) run.result()).parts().get(3);
        assertFalse(a.stacks().get(0).hasGradients(), "raw attention without gradients takes no backward pass");
        assertEquals(List.of(1, 2, 10), List.of(a.layer(), a.head(), a.token()));
        assertArrayEquals(Rollout.raw(a.stacks().get(1), 1, 2, 10), a.map(1));
        assertEquals(Fusion.MEAN, a.fusion(), "the default fusion");
        assertEquals(0, a.discard(), "the default discard ratio: Abnar & Zuidema's rollout");
    }

    @Test
    void badInputGetsClearMessages() throws Exception {
        try (HookedModel cnn = registry.openModel("demo-cnn", null)) {
            AnalysisException e = assertThrows(AnalysisException.class, () -> run(ROLLOUT, cnn, IMAGES, Map.of()));
            assertMessage(e, "needs attention hook points", "not a vision transformer");
            assertTrue(registry.analysis(ROLLOUT).orElseThrow().unavailableReason(cnn).orElseThrow().contains("attention hook points"),
                    "greyed out for a CNN, with the reason");
            assertTrue(registry.analysis(ROLLOUT).orElseThrow().unavailableReason(vit).isEmpty(), "offered for a ViT");
        }
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("layer", "4"))), "layer 4 is out of range",
                "4 attention layers (0..3)");
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("head", "4"))), "head 4 is out of range",
                "4 heads (0..3)");
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("token", "257"))), "token 257 is out of range",
                "257 tokens (0..256)");
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("startLayer", "7"))), "startLayer 7 is out of range");
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("targetClass", "8"))), "targetClass 8 is out of range",
                "8 classes (0..7)");
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("discard", "1"))), "'discard' must be in [0, 1)");
        assertMessage(assertThrows(AnalysisException.class, () -> run(ROLLOUT, vit, IMAGES, Map.of("method", "lrp"))), "unknown attention method 'lrp'",
                "rollout, grad-rollout or raw");
        assertMessage(assertThrows(AnalysisException.class, () -> run(EVAL, vit, "noise:count=2,size=64", Map.of())), "has an object mask");
    }

    static void assertMessage(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("Exception"), "no exception class names: " + e.getMessage());
    }

    @Test
    void evaluationBeatsTheBaselinesAndPointsAtTheShapes() throws Exception {
        Run run = run(EVAL, vit, "loupe-shapes:split=test,count=200", Map.of());
        CompositeResult r = (CompositeResult) run.result();
        String summary = ((TextResult) r.parts().get(0)).text();
        TableResult t = (TableResult) r.parts().get(1);
        System.out.println("[attention eval] " + summary);
        t.rows().forEach(row -> System.out.println("[attention eval] " + row));
        assertEquals(8, t.rows().size(), "6 methods, 2 baselines");
        assertEquals("baseline: random map", t.rows().get(6).get(0));
        assertEquals("pointing game within 4.3 px %", t.columns().get(2), "Zhang et al.'s 15 px at 224, at 64 px");
        double strict = t.rows().stream().limit(6).mapToDouble(row -> ((Number) row.get(1)).doubleValue()).max().orElseThrow();
        double near = t.rows().stream().limit(6).mapToDouble(row -> ((Number) row.get(2)).doubleValue()).max().orElseThrow();
        assertTrue(near >= 90, "best pointing game within 4.3 px " + near + " %");
        assertTrue(strict >= 90, "best pointing game with the maximum inside the mask " + strict + " %");
        double random = ((Number) t.rows().get(6).get(1)).doubleValue();
        assertTrue(random < 15, "the random map is near the shapes' area fraction: " + random + " %");
        // every method above both baselines on every score, except min fusion's mIoU (its maps are one to three spots)
        for (List<Object> row : t.rows().subList(0, 6)) {
            for (int score = 1; score <= 4; score++) {
                double v = ((Number) row.get(score)).doubleValue();
                double baseline = Math.max(((Number) t.rows().get(6).get(score)).doubleValue(), ((Number) t.rows().get(7).get(score)).doubleValue());
                boolean minFusionSegmentation = row.get(0).toString().contains("min") && score == 4;
                assertTrue(v > baseline || minFusionSegmentation, row.get(0) + ", " + t.columns().get(score) + ": " + v + " against " + baseline);
            }
        }
        assertTrue(summary.contains("Not above both baselines on every score: rollout, min, discard 0.90 (mIoU)."), summary);
    }

    @Test
    void commandLineRunsRolloutAndRefusesACnn() throws Exception {
        Path out = dir.resolve("out");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8)).run("run", "rollout",
                "--model", "demo-vit", "--image", "loupe-shapes:split=test,count=2", "--param", "method=grad-rollout,fusion=min",
                "--out", out.toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(out.resolve("run.json")).contains("grad-rollout"), "the parameters are recorded");
        try (var files = Files.list(out)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".png")), "the heat maps are exported as PNG");
        }
        ByteArrayOutputStream e2 = new ByteArrayOutputStream();
        code = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(e2, true, StandardCharsets.UTF_8))
                .run("run", "rollout", "--model", "demo-cnn", "--out", dir.resolve("o2").toString(), "--runs", dir.resolve("runs").toString());
        assertTrue(code != 0);
        assertTrue(e2.toString(StandardCharsets.UTF_8).contains("needs attention hook points"), e2.toString(StandardCharsets.UTF_8));
    }
}

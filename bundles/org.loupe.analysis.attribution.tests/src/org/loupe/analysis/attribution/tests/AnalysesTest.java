package org.loupe.analysis.attribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attribution.Explainers;
import org.loupe.analysis.quality.Explainer;
import org.loupe.cli.Cli;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** Every attribution analysis runs through the runner and the command line and gives one heat map per image over it. */
class AnalysesTest {

    @TempDir
    Path dir;

    @Test
    void everyAnalysisGivesOneHeatMapPerImage() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 3, 16, 2).toString();
        Map<String, Map<String, String>> runs = Map.of("saliency", Map.of("signed", "true"), "gradientXInput", Map.of(), "smoothgrad",
                Map.of("variant", "vargrad", "samples", "4"), "integratedGradients", Map.of("steps", "8", "baseline", "blurred"), "occlusion",
                Map.of("window", "4", "stride", "2"), "rise", Map.of("masks", "64", "grid", "4"), "gradcam", Map.of("variant", "gradcam++"));
        try (HookedModel net = f.registry.openModel(Fixture.oracleModel().toString(), null)) {
            for (var e : runs.entrySet()) {
                CompositeResult r = f.run(BadInputTest.P + e.getKey(), net, images, e.getValue());
                List<Result> parts = r.parts();
                assertTrue(parts.get(0) instanceof TextResult, e.getKey() + ": a summary first");
                List<HeatMapResult> maps = parts.stream().filter(HeatMapResult.class::isInstance).map(HeatMapResult.class::cast).toList();
                assertEquals(3, maps.size(), e.getKey() + ": one map per image");
                int side = e.getKey().equals("gradcam") ? 8 : 16;
                for (HeatMapResult h : maps) {
                    assertEquals(side, h.map().width(), e.getKey() + ": map width");
                    assertEquals(16, h.image().width(), e.getKey() + ": the image under the map");
                    assertTrue(h.map().max() > h.map().min(), e.getKey() + ": the map is not flat");
                }
            }
        }
    }

    @Test
    void theDefaultExplainersCoverEveryMethod() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel net = f.registry.openModel(Fixture.oracleModel().toString(), null)) {
            List<String> names = Explainers.defaults(net).stream().map(Explainer::name).toList();
            for (String m : List.of("saliency", "gradient x input", "smoothgrad", "squaregrad", "vargrad", "integrated gradients", "occlusion",
                    "RISE", "gradcam", "gradcam++", "hirescam")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(m)), m + " is among the defaults: " + names);
            }
            assertEquals(names.size(), names.stream().distinct().count(), "names are unique: " + names);
        }
    }

    @Test
    void theShortCommandRunsFromTheCommandLine() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 2, 16, 3).toString();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path out = dir.resolve("out");
        int code = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run("run", "integrated-gradients", "--model", Fixture.oracleModel().toString(), "--image", images, "--param", "steps=4",
                        "--out", out.toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        try (var files = Files.walk(out)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".png")), "the maps are exported as images");
        }
    }
}

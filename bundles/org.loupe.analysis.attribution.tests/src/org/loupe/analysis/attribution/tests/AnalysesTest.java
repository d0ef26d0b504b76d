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
import org.loupe.analysis.attribution.Cam;
import org.loupe.analysis.attribution.Explainers;
import org.loupe.analysis.quality.Explainer;
import org.loupe.cli.Cli;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.TokenLayout;
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

    /** Several methods on the same images: each image's maps lie over the same image, titled by method (the overlay editor shows them side by side). */
    @Test
    void compareGivesEachImageOneMapPerMethod() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 2, 16, 4).toString();
        try (HookedModel net = f.registry.openModel(Fixture.oracleModel().toString(), null)) {
            CompositeResult r = f.run(BadInputTest.P + "compare", net, images, Map.of("methods", "saliency, gradcam,occlusion"));
            List<HeatMapResult> maps = r.parts().stream().filter(HeatMapResult.class::isInstance).map(HeatMapResult.class::cast).toList();
            assertEquals(6, maps.size());
            for (int i = 0; i < 2; i++) {
                List<HeatMapResult> one = maps.subList(3 * i, 3 * i + 3);
                assertEquals(List.of("saliency", "gradcam", "occlusion (2x2 window, stride 1)"), one.stream().map(HeatMapResult::title).toList());
                assertTrue(one.stream().allMatch(h -> h.image().equals(one.get(0).image())), "one image under the maps of image " + i);
            }
            assertTrue(!maps.get(0).image().equals(maps.get(3).image()), "two images");
            assertTrue(((TextResult) r.parts().get(0)).text().contains("on 2 images"), "the summary counts images, not maps: " + r.parts().get(0));
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

    /** On a ViT the maps come from a token hook point laid out on the patch grid (16x16 patches of the demo ViT), class token dropped. */
    @Test
    void camsRunOnViTTokenHookPointsThroughThePatchGrid() throws Exception {
        Fixture f = new Fixture(dir);
        try (HookedModel vit = f.registry.openModel("demo-vit", null)) {
            HookPoint p = Cam.defaultLayer(vit);
            assertEquals(HookKind.TOKENS, p.kind(), "the default is a token hook point: " + p.name());
            TokenLayout t = p.tokenLayout().orElseThrow();
            for (String variant : List.of("gradcam", "gradcam++", "hirescam")) {
                CompositeResult r = f.run(BadInputTest.P + "gradcam", vit, "loupe-shapes:split=test,count=2", Map.of("variant", variant));
                List<HeatMapResult> maps = r.parts().stream().filter(HeatMapResult.class::isInstance).map(HeatMapResult.class::cast).toList();
                assertEquals(2, maps.size());
                for (HeatMapResult h : maps) {
                    assertEquals(t.rows(), h.map().height(), variant + ": patch-grid rows");
                    assertEquals(t.cols(), h.map().width(), variant + ": patch-grid columns");
                    assertTrue(h.map().max() > h.map().min(), variant + ": the map is not flat");
                }
            }
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

package org.loupe.analysis.basic.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImagesUsed;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Run;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.models.io.Safetensors;

/**
 * Predictions of a planted colour classifier: logits are 10x the mean red, green and blue, so the
 * probabilities of a solid-colour image are a softmax known in closed form.
 */
class PredictionTest {

    @TempDir
    Path dir;

    private HookedModel colourModel(LoupeRegistry registry) throws Exception {
        Files.writeString(dir.resolve("colours.json"), """
                {"architecture": "sequential-cnn", "name": "Colours", "labels": ["red", "green", "blue"],
                 "input": {"channels": 3, "height": 4, "width": 4},
                 "layers": [{"name": "gap", "type": "global_avgpool"}, {"name": "flatten", "type": "flatten"},
                            {"name": "fc", "type": "linear", "out_features": 3, "bias": false}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("fc.weight", new float[] {10, 0, 0, 0, 10, 0, 0, 0, 10});
        Safetensors.write(dir.resolve("colours.safetensors"), t, Map.of("fc.weight", new long[] {3, 3}));
        return registry.openModel(dir.resolve("colours.json").toString(), null);
    }

    private void image(String folder, String name, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 16; i++) {
            img.setRGB(i % 4, i / 4, rgb);
        }
        Files.createDirectories(dir.resolve("imgs").resolve(folder));
        ImageIO.write(img, "png", dir.resolve("imgs").resolve(folder).resolve(name).toFile());
    }

    static double[] softmax(double... z) {
        double max = java.util.Arrays.stream(z).max().orElse(0);
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    @Test
    void topClassesProbabilitiesAndAccuracy() throws Exception {
        image("red", "a.png", 0xFF0000);
        image("blue", "b.png", 0x3366CC);   // r .2 g .4 b .8
        image("green", "c.png", 0xCC3333);  // labelled green but reddish: a planted mistake
        Files.write(dir.resolve("imgs").resolve("green").resolve("d.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 9, 9});
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = colourModel(registry)) {
            Run run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest("org.loupe.analysis.prediction",
                    model, new Selection(null, null, dir.resolve("imgs").toString()), Map.of("topK", "3"), 0), null);
            CompositeResult r = (CompositeResult) run.result();
            String summary = ((TextResult) r.parts().get(0)).text();
            assertTrue(summary.contains("3 images") && summary.contains("2 of 3 labelled images correct (66.7%)"), summary);
            assertTrue(summary.contains("Skipped: green/d.jpg: not a decodable image"), "the corrupt JPEG is reported: " + summary);
            ImagesUsed used = run.provenance().images();
            assertEquals(dir.resolve("imgs").toAbsolutePath().normalize().toString(), used.spec(), "the folder, as an absolute path");
            assertEquals(3, used.count(), "the images read");
            assertEquals(1, used.skipped(), "the undecodable one");
            assertEquals(used.spec(), run.provenance().selection().images());

            ImageGridResult grid = (ImageGridResult) r.parts().get(1);
            assertEquals(3, grid.images().size());
            assertTrue(grid.captions().get(0).startsWith("blue ") && grid.captions().get(0).endsWith("(ok)"), grid.captions().toString());
            assertTrue(grid.captions().get(1).startsWith("red ") && grid.captions().get(1).endsWith("(is green)"), grid.captions().toString());
            assertTrue(grid.captions().get(2).startsWith("red ") && grid.captions().get(2).endsWith("(ok)"), grid.captions().toString());

            // first image (blue/b.png): logits 10 * (0.2, 0.4, 0.8)
            double[] expected = softmax(2, 4, 8);
            ChartResult chart = (ChartResult) r.parts().get(2);
            assertEquals(List.of("blue", "green", "red"), chart.categories());
            assertArrayEquals(new double[] {expected[2], expected[1], expected[0]}, chart.series().get(0).y(), 1e-5);

            TableResult table = (TableResult) r.parts().get(3);
            assertEquals(9, table.rows().size());
            List<Object> row = table.rows().get(6);
            assertEquals(List.of("red/a.png", 1L, "red", "red"), List.of(row.get(0), row.get(1), row.get(2), row.get(4)));
            assertEquals(softmax(10, 0, 0)[0], (Double) row.get(3), 1e-5);
        }
    }
}

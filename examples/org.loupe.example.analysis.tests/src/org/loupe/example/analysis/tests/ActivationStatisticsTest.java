package org.loupe.example.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Requirement;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImagesUsed;
import org.loupe.core.result.Run;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;

/**
 * The example analysis on a planted model: a 1x1 convolution whose four channels are dead (bias
 * -1), constant 0.5, the red pixel value, and constant 2, followed by a ReLU. Every statistic is
 * known from the input images.
 */
class ActivationStatisticsTest {

    static final String ID = "org.loupe.example.activationStats";
    static final String IMAGES = "noise:count=5,size=8";

    @TempDir
    Path dir;

    private HookedModel planted(LoupeRegistry registry) throws Exception {
        return ActivationStatisticsRuns.planted(registry, dir);
    }

    @Test
    void contributedByThePluginWithItsApplicability() {
        AnalysisDescriptor d = new LoupeRegistry().requireAnalysis(ID);
        assertEquals("org.loupe.example.analysis", d.contributor());
        assertEquals("Activations", d.category());
        assertTrue(!d.modelLevel());
        assertEquals(Set.of(Requirement.HOOKABLE_MODEL), d.requirements(), "declared in plugin.xml");
        assertEquals("noise:count=32", d.imageInput().orElseThrow().defaultSpec());
    }

    @Test
    void statisticsOfPlantedUnits() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = planted(registry)) {
            Run run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(ID, model,
                    new Selection("relu1", null, IMAGES), Map.of("bins", "4", "batchSize", "2"), 7), null);
            CompositeResult r = (CompositeResult) run.result();

            // expected: channel 2 is red/255 of every pixel of the 5 noise images
            List<Float> red = new ArrayList<>();
            for (SourceImage s : registry.openImages(IMAGES, 7)) {
                for (int px : s.image().rgb()) {
                    red.add(((px >> 16) & 0xFF) / 255f);
                }
            }
            double mean = red.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
            double std = Math.sqrt(red.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow());

            TableResult table = (TableResult) r.parts().get(3);
            assertEquals(4, table.rows().size());
            double[] expectedMean = {0, 0.5, mean, 2};
            double[] expectedStd = {0, 0, std, 0};
            for (int u = 0; u < 4; u++) {
                assertEquals(expectedMean[u], (Double) table.rows().get(u).get(1), 1e-5, "mean of unit " + u);
                assertEquals(expectedStd[u], (Double) table.rows().get(u).get(2), 1e-4, "std of unit " + u);
            }
            assertEquals(List.of("dead", "", "", ""), table.rows().stream().map(row -> row.get(5)).toList());
            String summary = ((TextResult) r.parts().get(0)).text();
            assertTrue(summary.contains("over 5 images"), summary);
            // two passes over the images: 5 images read, and the provenance says which
            assertEquals(new ImagesUsed(IMAGES, "5 uniform-noise images of 8x8 (seed 7)", 5, 0), run.provenance().images());
            assertEquals(IMAGES, run.provenance().selection().images());
            assertTrue(summary.contains("1 of 4 units dead (25.0%"), summary);

            // histogram over [0, 2] in 4 bins: 0 -> bin 0, 0.5 -> bin 1, 2 -> bin 3, red in [0, 1]
            double[] expected = new double[4];
            int perChannel = red.size();
            expected[0] += perChannel;
            expected[1] += perChannel;
            expected[3] += perChannel;
            for (float v : red) {
                expected[Math.min(3, (int) (v / 0.5))]++;
            }
            ChartResult hist = (ChartResult) r.parts().get(1);
            assertArrayEquals(expected, hist.series().get(0).y());
            assertArrayEquals(new double[] {0.25, 0.75, 1.25, 1.75}, hist.series().get(0).x(), 1e-6);
            assertEquals(4 * perChannel, java.util.Arrays.stream(hist.series().get(0).y()).sum());
        }
    }

    @Test
    void deadThresholdAndFolderErrors() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = planted(registry)) {
            AnalysisRunner runner = new AnalysisRunner(registry, new RunStore(dir.resolve("runs")));
            Run run = runner.run(new AnalysisRequest(ID, model, new Selection("relu1", null, IMAGES), Map.of("deadThreshold", "0.6"), 7), null);
            String summary = ((TextResult) ((CompositeResult) run.result()).parts().get(0)).text();
            assertTrue(summary.contains("2 of 4 units dead (50.0%"), summary);
            Files.createDirectories(dir.resolve("bad"));
            Files.writeString(dir.resolve("bad/x.png"), "not a png");
            AnalysisException e = assertThrows(AnalysisException.class, () -> runner.run(new AnalysisRequest(ID, model,
                    new Selection("relu1", null, dir.resolve("bad").toString()), Map.of(), 7), null));
            assertTrue(e.getMessage().contains("No image could be read") && e.getMessage().contains("x.png: not a decodable image"),
                    e.getMessage());
        }
    }
}

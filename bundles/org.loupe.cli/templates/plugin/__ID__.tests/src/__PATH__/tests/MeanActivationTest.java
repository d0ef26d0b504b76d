package __ID__.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.models.io.Safetensors;

import __ID__.UnitMeans;

/**
 * The analysis on a planted model whose answer is known: a 1x1 convolution with three channels,
 * then a ReLU. Channel 0 is dead (bias -1), channel 1 is the constant 0.5, channel 2 is the red
 * value of each pixel; so the means and peaks follow from the images alone.
 */
class MeanActivationTest {

    static final String ID = "__ID__.meanActivation";
    static final String IMAGES = "noise:count=5,size=8";
    static final long SEED = 7;

    @TempDir
    Path dir;

    @Test
    void contributedByThePlugin() {
        assertEquals("__ID__", new LoupeRegistry().requireAnalysis(ID).contributor());
    }

    @Test
    void meanAndPeakOfPlantedUnitsAndTheStoredRunReopens() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = planted(registry)) {
            Run run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(ID, model,
                    new Selection("relu1", null, IMAGES), Map.of("batchSize", "2"), SEED), null);
            UnitMeans r = (UnitMeans) run.result();

            // the oracle: the red value of every pixel of the same images
            double sum = 0;
            double max = 0;
            int pixels = 0;
            for (SourceImage s : registry.openImages(IMAGES, SEED)) {
                for (int px : s.image().rgb()) {
                    double red = ((px >> 16) & 0xFF) / 255.0;
                    sum += red;
                    max = Math.max(max, red);
                    pixels++;
                }
            }
            assertEquals(5 * 8 * 8, pixels);
            assertArrayEquals(new double[] {0, 0.5, sum / pixels}, r.mean(), 1e-5);
            assertArrayEquals(new double[] {0, 0.5, max}, r.peak(), 1e-6);
            assertEquals("relu1", r.hookPoint());

            // the codec: the run reopens from the store unchanged, as after a restart
            assertEquals(run, new RunStore(dir.resolve("runs"), new LoupeRegistry().resultTypes()).load(run.id()));
        }
    }

    /** A sequential CNN from a JSON config and a safetensors file of weights, both written here. */
    private HookedModel planted(LoupeRegistry registry) throws Exception {
        Files.writeString(dir.resolve("planted.json"), """
                {"architecture": "sequential-cnn", "name": "Planted",
                 "input": {"channels": 3, "height": 8, "width": 8},
                 "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 3, "kernel": 1},
                            {"name": "relu1", "type": "relu"}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv1.weight", new float[] {0, 0, 0, 0, 0, 0, 1, 0, 0});
        t.put("conv1.bias", new float[] {-1, 0.5f, 0});
        Safetensors.write(dir.resolve("planted.safetensors"), t, Map.of("conv1.weight", new long[] {3, 3, 1, 1}, "conv1.bias", new long[] {3}));
        return registry.openModel(dir.resolve("planted.json").toString(), null);
    }
}

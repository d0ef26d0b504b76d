package org.loupe.analysis.basic.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.models.io.Safetensors;

/**
 * Tuning curves of a planted unit: a 1x1 convolution whose unit 1 is the red channel, so its
 * response to each stimulus is read directly from the stimulus pixels.
 */
class TuningCurveTest {

    static final String SWEEP = "sweep:stimulus=edges,parameter=orientation,from=0,to=360,steps=8,size=16";

    @TempDir
    Path dir;

    private HookedModel redUnit(LoupeRegistry registry) throws Exception {
        Files.writeString(dir.resolve("red.json"), """
                {"architecture": "sequential-cnn", "name": "Red unit",
                 "input": {"channels": 3, "height": 16, "width": 16},
                 "layers": [{"name": "conv", "type": "conv2d", "out_channels": 2, "kernel": 1, "bias": false}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv.weight", new float[] {0, 1, 0, 1, 0, 0});
        Safetensors.write(dir.resolve("red.safetensors"), t, Map.of("conv.weight", new long[] {2, 3, 1, 1}));
        return registry.openModel(dir.resolve("red.json").toString(), null);
    }

    private double[] run(LoupeRegistry registry, HookedModel model, String response, Map<Double, Double> expected) throws Exception {
        var run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest("org.loupe.analysis.tuningCurve",
                model, new Selection("conv", 1, SWEEP), Map.of("response", response, "batchSize", "3"), 0), null);
        CompositeResult r = (CompositeResult) run.result();
        ChartResult chart = (ChartResult) r.parts().get(1);
        assertEquals("orientation", chart.xLabel());
        assertArrayEquals(expected.keySet().stream().mapToDouble(Double::doubleValue).toArray(), chart.series().get(0).x(), 1e-9);
        assertEquals(8, ((ImageGridResult) r.parts().get(2)).images().size());
        assertTrue(((TextResult) r.parts().get(0)).text().startsWith("conv:1 responds most at orientation = "));
        return chart.series().get(0).y();
    }

    @Test
    void responsesAreReadFromTheStimulusPixels() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        Map<Double, Double> mean = new TreeMap<>();
        Map<Double, Double> max = new TreeMap<>();
        Map<Double, Double> centre = new TreeMap<>();
        for (SourceImage s : registry.openImages(SWEEP, 0)) {
            double v = ((Number) s.groundTruth().get("value")).doubleValue();
            int[] px = s.image().rgb();
            double sum = 0;
            double m = 0;
            for (int p : px) {
                double red = ((p >> 16) & 0xFF) / 255.0;
                sum += red;
                m = Math.max(m, red);
            }
            mean.put(v, sum / px.length);
            max.put(v, m);
            centre.put(v, ((px[8 * 16 + 8] >> 16) & 0xFF) / 255.0);
        }
        assertEquals(8, mean.size());
        try (HookedModel model = redUnit(registry)) {
            assertArrayEquals(mean.values().stream().mapToDouble(Double::doubleValue).toArray(), run(registry, model, "mean", mean), 1e-5);
            assertArrayEquals(max.values().stream().mapToDouble(Double::doubleValue).toArray(), run(registry, model, "max", max), 1e-5);
            assertArrayEquals(centre.values().stream().mapToDouble(Double::doubleValue).toArray(), run(registry, model, "center", centre), 1e-5);
        }
        assertTrue(mean.values().stream().distinct().count() > 1, "the sweep changes the stimulus");
    }
}

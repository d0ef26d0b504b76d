package org.loupe.test.broken.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Run;
import org.loupe.core.result.TableResult;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.models.io.Safetensors;

/** What the isolation tests share: the broken plug-in's names, a planted model, and a healthy analysis checked against it. */
final class Broken {

    /** How every message about the broken plug-in names it. */
    static final String PLUGIN = "plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken)";
    static final String CONSTRUCTOR = "org.loupe.test.broken.throwsInConstructor";
    static final String THROWS = "org.loupe.test.broken.throwsInRun";
    static final String HANGS = "org.loupe.test.broken.hangs";
    static final String POLITE = "org.loupe.test.broken.polite";
    static final String INTERVENES = "org.loupe.test.broken.interveneThenThrow";
    static final String STATS = "org.loupe.example.activationStats";
    /** The per-unit means of the planted model's relu1: its biases (the weights are zero). */
    static final double[] PLANTED_MEANS = {0.25, 3};

    private Broken() {
    }

    /** A 1x1 convolution with zero weights and biases 0.25 and 3, then a ReLU: every activation of unit u is PLANTED_MEANS[u]. */
    static Path plantedModel(Path dir) throws Exception {
        Path json = dir.resolve("planted.json");
        Files.writeString(json, """
                {"architecture": "sequential-cnn", "name": "Planted",
                 "input": {"channels": 3, "height": 8, "width": 8},
                 "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 2, "kernel": 1},
                            {"name": "relu1", "type": "relu"}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv1.weight", new float[6]);
        t.put("conv1.bias", new float[] {(float) PLANTED_MEANS[0], (float) PLANTED_MEANS[1]});
        Safetensors.write(dir.resolve("planted.safetensors"), t, Map.of("conv1.weight", new long[] {2, 3, 1, 1}, "conv1.bias", new long[] {2}));
        return json;
    }

    /** The healthy example analysis on the planted model gives the planted means. */
    static void healthyRunIsCorrect(LoupeRegistry registry, AnalysisRunner runner, HookedModel planted) throws Exception {
        Run run = runner.run(new AnalysisRequest(STATS, planted, new Selection("relu1", null, "noise:count=3,size=8"), Map.of("bins", "4"), 1),
                null);
        TableResult table = (TableResult) ((CompositeResult) run.result()).parts().get(3);
        for (int u = 0; u < PLANTED_MEANS.length; u++) {
            assertEquals(PLANTED_MEANS[u], (Double) table.rows().get(u).get(1), 1e-6, "mean of unit " + u);
        }
    }

    /** A message for the user: names the plug-in, says {@code what}, and shows no exception class. */
    static void namesThePlugin(String message, String... what) {
        assertTrue(message.toLowerCase(java.util.Locale.ROOT).contains(PLUGIN.toLowerCase(java.util.Locale.ROOT)), message);
        for (String w : what) {
            assertTrue(message.contains(w), "expected '" + w + "' in: " + message);
        }
        assertFalse(message.matches("(?s).*\\b\\w+(Exception|Error)\\b.*"), "an exception class in: " + message);
    }
}

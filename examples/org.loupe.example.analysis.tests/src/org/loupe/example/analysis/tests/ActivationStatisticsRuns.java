package org.loupe.example.analysis.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.Provenance;
import org.loupe.models.io.Safetensors;

/**
 * The planted model of the example's tests: a 1x1 convolution whose four channels are dead (bias
 * -1), constant 0.5, the red pixel value, and constant 2, followed by a ReLU.
 */
final class ActivationStatisticsRuns {

    private ActivationStatisticsRuns() {
    }

    static HookedModel planted(LoupeRegistry registry, Path dir) throws Exception {
        Files.writeString(dir.resolve("planted.json"), """
                {"architecture": "sequential-cnn", "name": "Planted",
                 "input": {"channels": 3, "height": 8, "width": 8},
                 "layers": [{"name": "conv1", "type": "conv2d", "out_channels": 4, "kernel": 1},
                            {"name": "relu1", "type": "relu"}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv1.weight", new float[] {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0});
        t.put("conv1.bias", new float[] {-1, 0.5f, 0, 2});
        Safetensors.write(dir.resolve("planted.safetensors"), t, Map.of("conv1.weight", new long[] {4, 3, 1, 1}, "conv1.bias", new long[] {4}));
        return registry.openModel(dir.resolve("planted.json").toString(), null);
    }

    /** A provenance for runs saved directly. */
    static Provenance provenance() {
        return new Provenance(ActivationStatisticsTest.ID, "Activation statistics", new ModelInfo("planted", "Planted", "sequential-cnn",
                "abc", "planted.json", 16), new Selection("relu1", null, null), Map.of("bins", 4), 7, "0.1.0",
                Instant.parse("2026-02-03T04:05:06Z"), 12);
    }
}

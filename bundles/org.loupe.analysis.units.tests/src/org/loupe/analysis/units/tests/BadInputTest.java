package org.loupe.analysis.units.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;

/** Wrong layers, k out of range and units out of range are refused before anything runs, with messages that say what to do. */
class BadInputTest {

    @TempDir
    Path dir;

    private static void refused(String expected, org.junit.jupiter.api.function.Executable run) {
        AnalysisException e = assertThrows(AnalysisException.class, run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no exception class names: " + e.getMessage());
    }

    @Test
    void badLayersKAndUnitsAreRefusedWithClearMessages() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 3, 12, 1).toString();
        String index = dir.resolve("index").toString();
        try (HookedModel net = PlantedModels.connections(f)) {
            String ex = "org.loupe.analysis.datasetExamples";
            refused("relu3", () -> f.run(ex, net, "relu1", images, Map.of("layers", "relu1,relu3", "index", index)));
            refused("k", () -> f.run(ex, net, "relu1", images, Map.of("k", "0", "index", index)));
            refused("k", () -> f.run(ex, net, "relu1", images, Map.of("k", "101", "index", index)));
            refused("unit 4 (of '2-9') is out of range: 'relu1' has units 0 to 3", () -> f.run(ex, net, "relu1", images,
                    Map.of("units", "2-9", "index", index)));
            refused("give all, or indices and ranges", () -> f.run(ex, net, "relu1", images, Map.of("units", "first", "index", index)));

            String w = "org.loupe.analysis.weights";
            refused("5", () -> f.run(w, net, "relu2", 5, null, Map.of(), null));
            refused("nosuch", () -> f.run(w, net, "nosuch", 0, null, Map.of(), null));
            refused("works on hook points of kind conv, but flatten is logits", () -> f.run("org.loupe.analysis.dissect", net, "flatten",
                    "shapes:count=2", Map.of()));
        }
    }
}

package org.loupe.analysis.causal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.UnitRef;
import org.loupe.models.io.Safetensors;

/**
 * A planted causal unit: a 1x1 convolution whose channels are red, green, blue and red+green, and
 * a classifier in which only the blue channel (unit 2) drives class "blue" (logit = 5 x mean blue);
 * unit 3 feeds no class at all. The sweep must rank unit 2 first with every other unit at exactly
 * no effect, its ablation must remove the class, and mean-ablating unit 3 must change nothing.
 */
class PlantedUnitTest {

    @TempDir
    Path dir;

    private HookedModel planted(Fixture f) throws Exception {
        Files.writeString(dir.resolve("planted.json"), """
                {"architecture": "sequential-cnn", "name": "Planted", "labels": ["blue", "warm", "red"],
                 "input": {"channels": 3, "height": 8, "width": 8},
                 "layers": [{"name": "conv", "type": "conv2d", "out_channels": 4, "kernel": 1, "bias": false},
                            {"name": "relu", "type": "relu"}, {"name": "gap", "type": "global_avgpool"},
                            {"name": "flatten", "type": "flatten"}, {"name": "fc", "type": "linear", "out_features": 3}]}
                """);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("conv.weight", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0});
        t.put("fc.weight", new float[] {0, 0, 5, 0, 0.2f, 0.2f, 0, 0, 0.3f, 0, 0, 0});
        t.put("fc.bias", new float[] {0, 1, 0});
        Safetensors.write(dir.resolve("planted.safetensors"), t,
                Map.of("conv.weight", new long[] {4, 3, 1, 1}, "fc.weight", new long[] {3, 4}, "fc.bias", new long[] {3}));
        return f.registry.openModel(dir.resolve("planted.json").toString(), null);
    }

    @Test
    void theSweepRanksThePlantedUnitFirstAndItsAblationRemovesTheClass() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 8, 8, 7).toString();
        try (HookedModel model = planted(f)) {
            CompositeResult sweep = f.run("org.loupe.analysis.ablationSweep", model, "relu", images, Map.of("target", "blue", "batchSize", "3"));
            TableResult ranked = Fixture.table(sweep, "Ranked");
            assertEquals(new UnitRef(model.info().id(), "relu", 2), ranked.rows().get(0).get(1), "the planted unit is ranked first");
            double[] drop = Fixture.byIndex(ranked, "target logit drop", 4);
            assertTrue(drop[2] > 1, "ablating the blue unit lowers the blue logit, by " + drop[2]);
            for (int u : new int[] {0, 1, 3}) {
                assertEquals(0, drop[u], 1e-6, "unit " + u + " does not feed the blue class");
            }
            assertEquals(1.0, Fixture.byIndex(ranked, "predictions changed", 4)[2], 1e-9, "without unit 2 no image is blue any more");

            CompositeResult zero = f.run("org.loupe.analysis.ablation", model, "relu", images, Map.of("sites", "units:2", "target", "blue"));
            TableResult perImage = Fixture.table(zero, "Per image");
            for (List<Object> row : perImage.rows()) {
                assertEquals("blue", row.get(5), "the clean prediction is blue");
                assertEquals(0.0, ((Number) row.get(3)).doubleValue(), 1e-6, "the blue logit is its bias (0) without unit 2");
                assertEquals("warm", row.get(6), "the ablated prediction is the next class");
            }

            CompositeResult mean = f.run("org.loupe.analysis.ablation", model, "relu", images,
                    Map.of("sites", "units:3", "replacement", "mean", "target", "blue"));
            TableResult summary = Fixture.table(mean, "Clean and ablated");
            for (double change : Fixture.column(summary, "change")) {
                assertEquals(0, change, 1e-6, "mean-ablating a unit no class reads changes nothing");
            }
            assertEquals(3, summary.rows().size(), "target logit, loss, predictions changed; no accuracy without labels: " + summary.rows());
        }
    }
}

package org.loupe.example.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.registry.ResultType;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.loupe.example.analysis.UnitProfile;
import org.loupe.example.analysis.UnitProfileCodec;

/** The example plug-in's own result type: declared with its codec, saved, and reopened after a restart. */
class UnitProfileTest {

    @TempDir
    Path dir;

    @Test
    void declaredThroughTheExtensionPointWithItsCodec() {
        ResultType t = new LoupeRegistry().resultTypes().forId("org.loupe.example.unitProfile").orElseThrow();
        assertEquals("org.loupe.example.analysis", t.contributor());
        assertEquals(UnitProfile.class.getName(), t.resultClass());
        assertTrue(t.codec() instanceof UnitProfileCodec);
    }

    @Test
    void savedReopensUnchangedAfterARestart() throws Exception {
        UnitProfile p = new UnitProfile("Unit profile of relu1", "planted", "relu1", new double[] {0, 0.5, 0.1 + 0.2, 2},
                new double[] {0, 0, Math.PI / 7, 0}, new boolean[] {true, false, false, false});
        Run saved = new RunStore(dir, new LoupeRegistry().resultTypes()).save(ActivationStatisticsRuns.provenance(), p);
        assertTrue(Files.readString(dir.resolve(saved.id()).resolve("run.json")).contains("\"type\": \"org.loupe.example.unitProfile\""));

        RunStore afterRestart = new RunStore(dir, new LoupeRegistry().resultTypes()); // a new registry and store, as in a new process
        Run reopened = afterRestart.load(saved.id());
        assertEquals(saved, reopened);
        UnitProfile back = (UnitProfile) reopened.result();
        assertArrayEquals(p.mean(), back.mean(), 0.0);
        assertEquals(new UnitRef("planted", "relu1", 2), back.unit(2));
    }

    @Test
    void theAnalysisPublishesTheProfileAfterItsFirstPassAndStoresIt() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = ActivationStatisticsRuns.planted(registry, dir)) {
            List<Result> partials = new ArrayList<>();
            Run run = new AnalysisRunner(registry, new RunStore(dir.resolve("runs"))).run(new AnalysisRequest(
                    ActivationStatisticsTest.ID, model, new Selection("relu1", null, ActivationStatisticsTest.IMAGES),
                    Map.of("bins", "4"), 7), null, partials::add);
            UnitProfile stored = (UnitProfile) ((CompositeResult) run.result()).parts().get(4);
            assertEquals(List.of(stored), partials, "one partial result: the profile, equal to the stored one");
            assertArrayEquals(new boolean[] {true, false, false, false}, stored.dead());
            assertArrayEquals(new double[] {0, 0.5}, java.util.Arrays.copyOf(stored.mean(), 2), 1e-6);
            assertEquals(2, stored.mean()[3], 1e-6);
            assertEquals(model.info().id(), stored.model());
            assertEquals(run, new RunStore(dir.resolve("runs")).load(run.id()));
        }
    }
}

package org.loupe.test.broken.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.registry.PluginProblem;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.run.RunAbandonedException;
import org.loupe.core.store.RunStore;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Each broken plug-in through {@link AnalysisRunner} and the registry: the error names the plug-in
 * and says what failed, nothing is stored, and the healthy analysis on the same model still gives
 * the planted numbers afterwards.
 */
class RunnerIsolationTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private final LoupeRegistry registry = new LoupeRegistry();

    private RunStore store() {
        return new RunStore(dir.resolve("runs"));
    }

    private AnalysisException runFails(AnalysisRunner runner, HookedModel model, String id, Map<String, String> params, String layer) {
        return assertThrows(AnalysisException.class,
                () -> runner.run(new AnalysisRequest(id, model, new Selection(layer, null, null), params, 0), null));
    }

    @Test
    void anAnalysisWhoseConstructorThrowsIsListedAsUnavailableWithTheReason() throws Exception {
        AnalysisDescriptor broken = registry.requireAnalysis(Broken.CONSTRUCTOR);
        String why = broken.loadFailure().orElseThrow();
        Broken.namesThePlugin(why, "when Loupe created its analysis 'Throws in its constructor'", "the fixture's constructor always fails");
        assertEquals(Optional.empty(), registry.requireAnalysis(Broken.STATS).loadFailure());
        assertTrue(broken.requirements().isEmpty(), "still answers, from its declaration");
        AnalysisRunner runner = new AnalysisRunner(registry, store(), GRACE);
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            assertEquals(Optional.of("'Throws in its constructor' is unavailable: " + why), broken.unavailableReason(planted));
            AnalysisException e = runFails(runner, planted, Broken.CONSTRUCTOR, Map.of(), null);
            Broken.namesThePlugin(e.getMessage(), "the fixture's constructor always fails");
            Broken.healthyRunIsCorrect(registry, runner, planted);
        }
    }

    @Test
    void whatARunThrowsIsReportedInWordsNamingThePlugin() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, store(), GRACE);
        Map<String, String> expected = Map.of("runtime", "failed when its analysis 'Throws in run' ran: the fixture's run always fails.",
                "linkage", "a class it needs is missing: org.loupe.test.broken.Gone", "memory", "it ran out of memory",
                "stack", "it recursed too deeply (stack overflow)");
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            for (var kind : expected.entrySet()) {
                AnalysisException e = runFails(runner, planted, Broken.THROWS, Map.of("kind", kind.getKey()), null);
                Broken.namesThePlugin(e.getMessage(), kind.getValue());
            }
            assertEquals(List.of(), store().list(), "a failed run stores nothing");
            Broken.healthyRunIsCorrect(registry, runner, planted);
        }
    }

    @Test
    void aRunThatIgnoresCancelIsAbandonedAfterTheGracePeriod() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, store(), GRACE);
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            abandoned(runner, planted, "busy");
            // the busy loop ignores the monitor but stops once its abandoned thread is interrupted
            for (Thread t : hangingThreads()) {
                t.join(60_000);
            }
            assertEquals(List.of(), hangingThreads(), "the interrupted busy loop ended");
            abandoned(runner, planted, "sleep");
            // the sleeper ignores interrupts too: its thread is left, asleep, and costs nothing
            List<Thread> left = hangingThreads();
            assertEquals(1, left.size());
            assertTrue(left.get(0).isDaemon(), "an abandoned thread does not keep the JVM alive");
            assertEquals(List.of(), store().list(), "an abandoned run stores nothing");
            Broken.healthyRunIsCorrect(registry, runner, planted);
        }
    }

    private void abandoned(AnalysisRunner runner, HookedModel planted, String how) {
        NullProgressMonitor cancelled = new NullProgressMonitor();
        cancelled.setCanceled(true);
        RunAbandonedException e = assertThrows(RunAbandonedException.class, () -> runner.run(
                new AnalysisRequest(Broken.HANGS, planted, new Selection(null, null, null), Map.of("how", how), 0), cancelled));
        assertEquals("cancelled; " + Broken.PLUGIN + " did not stop within 0.3 s and was abandoned (restart Loupe to reclaim its thread)",
                e.getMessage());
    }

    /** The live threads Loupe started for the hanging analysis. */
    private static List<Thread> hangingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("Loupe analysis " + Broken.HANGS))
                .filter(Thread::isAlive).toList();
    }

    @Test
    void cancelReachesThePluginsMonitorAndAPoliteRunStopsInTime() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, store(), Duration.ofMinutes(5));
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            NullProgressMonitor cancelled = new NullProgressMonitor();
            cancelled.setCanceled(true);
            assertThrows(OperationCanceledException.class, () -> runner.run(
                    new AnalysisRequest(Broken.POLITE, planted, new Selection(null, null, null), Map.of(), 0), cancelled));
            assertEquals(List.of(), store().list());
        }
    }

    @Test
    void aRunThatThrowsAfterAnAblatedPassLeavesTheModelUnchanged() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, store(), GRACE);
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            float[] before = relu1(planted);
            AnalysisException e = runFails(runner, planted, Broken.INTERVENES, Map.of(), "relu1");
            // the fixture's ablated pass had unit 1 zeroed: 64 pixels of 0.25 and none of 3
            Broken.namesThePlugin(e.getMessage(), "the fixture failed after its ablated pass (output sum 16.0)");
            float[] after = relu1(planted);
            assertEquals(2 * 64, after.length);
            for (int i = 0; i < after.length; i++) {
                assertEquals(Broken.PLANTED_MEANS[i / 64], after[i], 1e-6, "relu1 value " + i + " after the failed run");
                assertEquals(before[i], after[i], 0.0);
            }
            Broken.healthyRunIsCorrect(registry, runner, planted);
        }
    }

    private static float[] relu1(HookedModel model) {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 3, 8, 8));
            return model.forward(x, Hooks.none()).output().toFloatArray();
        }
    }

    @Test
    void anImageSourceOrALoaderThatFailsIsNamed() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, store(), GRACE);
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            AnalysisException e = assertThrows(AnalysisException.class, () -> runner.run(
                    new AnalysisRequest(Broken.STATS, planted, new Selection("relu1", null, "broken-images"), Map.of(), 0), null));
            Broken.namesThePlugin(e.getMessage(), "when its image source 'broken-images' opened images", "the fixture's image source always fails");
            Broken.healthyRunIsCorrect(registry, runner, planted);
        }
        Path file = Files.writeString(dir.resolve("model.broken"), "not a model");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> registry.openModel(file.toString(), null));
        Broken.namesThePlugin(e.getMessage(), "when its model loader 'Broken loader (test fixture)' opened the model",
                "the fixture's loader always fails");
    }

    @Test
    void aResultItsCodecCannotStoreLeavesNothingHalfWritten() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, store(), GRACE);
        try (HookedModel planted = registry.openModel(Broken.plantedModel(dir).toString(), null)) {
            AnalysisException e = runFails(runner, planted, "org.loupe.test.broken.unstorable", Map.of(), null);
            Broken.namesThePlugin(e.getMessage(), "failed when its result type 'Unstorable (test fixture)' stored a result: the fixture's codec "
                    + "cannot store anything. Nothing was saved.");
            try (var left = Files.list(dir.resolve("runs"))) {
                assertEquals(List.of(), left.toList(), "not even the half-written run folder is left");
            }
            Broken.healthyRunIsCorrect(registry, runner, planted);
        }
    }

    @Test
    void invalidDeclarationsAndAnUnreadablePluginXmlAreReportedByPlugin() {
        List<PluginProblem> problems = registry.problems();
        List<String> text = problems.stream().map(PluginProblem::describe).toList();
        assertTrue(text.contains(Broken.PLUGIN + ": its analysis 'org.loupe.test.broken.noClass' names no class in plugin.xml, so Loupe "
                + "cannot create it; its author must fix plugin.xml"), text.toString());
        assertTrue(text.contains(Broken.PLUGIN + ": its analysis (class org.loupe.test.broken.ThrowsInRun) has no id in plugin.xml, so Loupe "
                + "cannot offer it; its author must fix plugin.xml"), text.toString());
        PluginProblem xml = problems.stream().filter(p -> p.bundle().equals("org.loupe.test.broken.xml")).findFirst().orElseThrow();
        assertEquals("plug-in 'Unreadable plugin.xml (test fixture)' (org.loupe.test.broken.xml)", xml.plugin());
        assertTrue(xml.problem().startsWith("its plugin.xml could not be read, so none of its contributions are available (line 8: "),
                xml.problem());
        assertEquals(3, problems.size(), text.toString());
        assertTrue(registry.analyses().stream().noneMatch(a -> a.id().equals("org.loupe.test.broken.noClass")));
        assertTrue(registry.analysis(Broken.STATS).isPresent(), "the other plug-ins' analyses are all there");
    }
}

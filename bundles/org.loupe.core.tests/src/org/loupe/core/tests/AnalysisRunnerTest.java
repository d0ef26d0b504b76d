package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Requirement;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ImagesUsed;
import org.loupe.core.result.Run;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;

/** Analyses contributed through the extension point run, save their results, fail clearly and cancel. */
class AnalysisRunnerTest extends OnTinyModel {

    private final LoupeRegistry registry = new LoupeRegistry();

    @TempDir
    Path dir;

    private Run run(Selection sel, Map<String, String> params) throws AnalysisException {
        return new AnalysisRunner(registry, new RunStore(dir))
                .run(new AnalysisRequest("org.loupe.core.tests.unitMean", model, sel, params, 3), null);
    }

    @Test
    void registryReadsContributionsLazily() {
        AnalysisDescriptor d = registry.requireAnalysis("org.loupe.core.tests.unitMean");
        assertEquals(Set.of(HookKind.VECTOR, HookKind.LOGITS), d.appliesTo());
        assertTrue(d.needsUnit());
        assertEquals("org.loupe.core.tests", d.contributor());
        assertTrue(d.appliesTo(model.hookPoint("fc")));
        assertTrue(!d.appliesTo(model.hookPoint("input")));
        assertTrue(registry.imageSources().stream().anyMatch(s -> s.id().equals("test-gray")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.requireAnalysis("nope"));
        assertTrue(e.getMessage().contains("org.loupe.core.tests.unitMean"), e.getMessage());
    }

    @Test
    void runComputesPlantedValueAndStoresProvenance() throws Exception {
        Run run = run(new Selection("fc", 2, null), Map.of());
        // logit 2 = 0.25 * 4 * g + 0.3 for a gray image g; gray levels 100, 101, 102
        double expected = 101 / 255.0 + 0.3;
        assertEquals(expected, Double.parseDouble(((TextResult) run.result()).text()), 1e-5);
        assertEquals("fc", run.provenance().selection().hookPoint());
        assertEquals("test-gray", run.provenance().selection().images(), "the analysis' default images are recorded as used");
        assertEquals(new ImagesUsed("test-gray", "3 gray images", 3, 0), run.provenance().images());
        assertEquals(List.of("scale"), List.copyOf(run.provenance().parameters().keySet()), "images are no parameter");
        assertEquals(3, run.provenance().seed());
        assertEquals("tiny-linear", run.provenance().model().id());
        assertEquals(run, new RunStore(dir).load(run.id()));
        // how the images were brought to the model is part of the provenance, and survives the store
        ModelInfo recorded = new RunStore(dir).load(run.id()).provenance().model();
        InputSpec in = model.inputSpec();
        assertEquals(in.resize().describe(in.height(), in.width()), recorded.config(ModelInfo.RESIZE).orElseThrow().value());
        assertEquals(in.channels() + "x" + in.height() + "x" + in.width(), recorded.config(ModelInfo.INPUT_SIZE).orElseThrow().value());
        assertEquals(in.normalization().toString(), recorded.config(ModelInfo.NORMALIZATION).orElseThrow().value());
        // another source through the selection, with parameters
        Run other = run(new Selection("fc", 2, "test-gray:count=1,level=255"), Map.of("scale", "2"));
        assertEquals(2 * (1 + 0.3), Double.parseDouble(((TextResult) other.result()).text()), 1e-5);
        assertEquals("test-gray:count=1,level=255", other.provenance().selection().images(), "the selection's images are recorded");
        assertEquals(new ImagesUsed("test-gray:count=1,level=255", "1 gray images", 1, 0), other.provenance().images());
        assertEquals("test-gray:count=1,level=255: 1 image read (1 gray images)", other.provenance().describeImages());
        assertEquals(other, new RunStore(dir).load(other.id()), "the images used survive saving and loading");
    }

    @Test
    void badSelectionsAndParametersAreExplained() {
        assertError("needs a hook point of kind", new Selection(null, 1, null), Map.of());
        assertError("works on hook points of kind", new Selection("input", 0, null), Map.of());
        assertError("needs a unit at fc (0..2)", new Selection("fc", null, null), Map.of());
        assertError("Unit 5 is out of range: fc has 3 units", new Selection("fc", 5, null), Map.of());
        assertError("no hook point 'fcc'. Did you mean: fc", new Selection("fcc", 0, null), Map.of());
        assertError("parameter 'scale' must be in [0, inf), got -1", new Selection("fc", 0, null), Map.of("scale", "-1"));
        assertError("There is no image source 'nope'", new Selection("fc", 0, "nope"), Map.of());
        assertError("There is no file or folder '/no/such/folder'", new Selection("fc", 0, "/no/such/folder"), Map.of());
        assertError("parameter 'count' must be in [1, 100], got 0", new Selection("fc", 0, "test-gray:count=0"), Map.of());
        assertEquals(0, new RunStore(dir).list().size(), "failed runs store nothing");
    }

    @Test
    void imagesAreGivenOneWayOnly() throws Exception {
        assertError("'Slow (test)' reads no images: leave out --image", Selection.NONE.withImages("test-gray"), Map.of(), "org.loupe.core.tests.slow");
        assertError("unknown parameter 'images'; parameters are: scale; images are given with --image", new Selection("fc", 0, null),
                Map.of("images", "test-gray"));
        Run none = new AnalysisRunner(registry, new RunStore(dir)).run(new AnalysisRequest("org.loupe.core.tests.slow", model, Selection.NONE,
                Map.of("steps", "1"), 0), null);
        assertNull(none.provenance().images());
        assertEquals("none", none.provenance().describeImages());
    }

    @Test
    void requirementsMakeAnalysesUnavailableWithTheReason() throws Exception {
        BlackBoxModel blackBox = new BlackBoxModel(model);
        AnalysisDescriptor gradient = registry.requireAnalysis("org.loupe.core.tests.gradient");
        assertEquals(Set.of(Requirement.GRADIENTS), gradient.declaredRequirements());
        assertEquals(Optional.empty(), gradient.unavailableReason(model));
        String why = "'Gradient (test)' needs gradients through the model's layers, which the black-box model Black box (test) does not give.";
        assertEquals(Optional.of(why), gradient.unavailableReason(blackBox));
        AnalysisException e = assertThrows(AnalysisException.class, () -> new AnalysisRunner(registry, new RunStore(dir))
                .run(new AnalysisRequest(gradient.id(), blackBox, Selection.NONE, Map.of("steps", "1"), 0), null));
        assertEquals(why, e.getMessage(), "the runner refuses with the same reason");

        AnalysisDescriptor unitMean = registry.requireAnalysis("org.loupe.core.tests.unitMean");
        assertEquals(Set.of(Requirement.HOOKABLE_MODEL, Requirement.UNIT), unitMean.requirements());
        assertEquals(Optional.of("'Unit mean (test)' needs hook points, and Black box (test) is a black-box model without any."),
                unitMean.unavailableReason(blackBox));
        assertEquals(Optional.of("needs attention hook points, and Tiny linear has none (it is not a vision transformer)"),
                Requirement.ATTENTION.unmetBy(model));

        AnalysisDescriptor checked = registry.requireAnalysis("org.loupe.core.tests.checked");
        assertEquals(Set.of(), checked.declaredRequirements());
        assertEquals(Set.of(Requirement.LABELS), checked.requirements(), "declared in Java");
        assertEquals(Optional.of("'Checked (test)' needs class labels, and Black box (test) has none."), checked.unavailableReason(blackBox));
        assertEquals(Optional.of("'Checked (test)' does not apply to Tiny linear: needs at least 4 classes, and it has 3"),
                checked.unavailableReason(model), "the analysis' own check, after the requirements");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Requirement.fromId("gpu"));
        assertEquals("Unknown requirement 'gpu'; known: hookable, labels, attention, gradients, unit", bad.getMessage());
    }

    private void assertError(String fragment, Selection sel, Map<String, String> params, String analysis) {
        AnalysisException e = assertThrows(AnalysisException.class, () -> new AnalysisRunner(registry, new RunStore(dir))
                .run(new AnalysisRequest(analysis, model, sel, params, 3), null));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private void assertError(String fragment, Selection sel, Map<String, String> params) {
        AnalysisException e = assertThrows(AnalysisException.class, () -> run(sel, params));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void jobReportsSuccessAndCancels() throws Exception {
        AnalysisRunner runner = new AnalysisRunner(registry, new RunStore(dir));
        AnalysisJob ok = new AnalysisJob("ok", runner, new AnalysisRequest("org.loupe.core.tests.slow", model, Selection.NONE,
                Map.of("steps", "3"), 0));
        ok.schedule();
        ok.join();
        assertEquals(IStatus.OK, ok.getResult().getSeverity());
        assertNotNull(ok.run());
        assertEquals("3", ((TextResult) ok.run().result()).text());

        AnalysisJob slow = new AnalysisJob("slow", runner, new AnalysisRequest("org.loupe.core.tests.slow", model, Selection.NONE,
                Map.of("steps", "100000"), 0));
        slow.schedule();
        long deadline = System.currentTimeMillis() + 30_000;
        while (slow.getState() != Job.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        slow.cancel();
        slow.join();
        assertEquals(IStatus.CANCEL, slow.getResult().getSeverity());
        assertNull(slow.run());
        assertEquals(1, new RunStore(dir).list().size(), "only the finished run is stored");

        AnalysisJob bad = new AnalysisJob("bad", runner, new AnalysisRequest("org.loupe.core.tests.slow", model, Selection.NONE,
                Map.of("steps", "0"), 0));
        bad.schedule();
        bad.join();
        assertEquals(IStatus.ERROR, bad.getResult().getSeverity());
        assertTrue(bad.getResult().getMessage().contains("parameter 'steps' must be in [1, inf), got 0"), bad.getResult().getMessage());
    }
}

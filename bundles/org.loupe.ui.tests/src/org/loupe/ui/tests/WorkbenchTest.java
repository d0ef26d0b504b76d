package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.imageio.ImageIO;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.jfree.chart.swt.ChartComposite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.store.RunSummary;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.prefs.LoupePreferences;
import org.loupe.ui.internal.views.AnalysesView;
import org.loupe.ui.internal.views.HookNode;
import org.loupe.ui.internal.views.ModelView;
import org.loupe.ui.internal.views.RunsView;

/** The Loupe workbench, driven the way an analyst uses it, inside the real application. */
class WorkbenchTest {

    static final String STATS = "org.loupe.example.activationStats";

    @TempDir
    Path dir;

    private IWorkbenchPage page;
    private Session session;
    /** What the workbench would have shown in error dialogs (dialogs would block the UI-thread tests). */
    private final List<IStatus> reported = new ArrayList<>();

    @BeforeEach
    void workbench() {
        assertNotNull(Display.getCurrent(), "tests run on the UI thread");
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        session = Session.get();
        session.setErrorReporter(reported::add);
        openTestModel(session);
    }

    /** Makes the seeded CNN the open model (the tests' model), waiting for it. */
    static void openTestModel(Session session) {
        if (session.model().isEmpty() || !session.model().get().info().id().equals("seq-cnn-seeded")) {
            waitForJob(session.openModel("seq-cnn-seeded"));
        }
        waitUntil(() -> session.model().isPresent(), "the default model to open");
    }

    static void waitUntil(BooleanSupplier condition, String what) {
        Display d = Display.getCurrent();
        long end = System.currentTimeMillis() + 120_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting for " + what);
            }
            if (!d.readAndDispatch()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        while (d.readAndDispatch()) {
            // let asyncExecs queued by the job run
        }
    }

    static IStatus waitForJob(Job job) {
        waitUntil(() -> job.getResult() != null, job.getName());
        return job.getResult();
    }

    private ModelView modelView() throws Exception {
        return (ModelView) page.showView(ModelView.ID);
    }

    private AnalysesView analysesView() throws Exception {
        return (AnalysesView) page.showView(AnalysesView.ID);
    }

    private HookNode select(String hookPoint) throws Exception {
        ModelView mv = modelView();
        page.activate(mv);
        HookNode found = null;
        for (TreeItem item : mv.viewer().getTree().getItems()) {
            HookNode n = (HookNode) item.getData();
            if (n.path().equals(hookPoint)) {
                found = n;
            }
        }
        assertNotNull(found, "tree item " + hookPoint);
        mv.viewer().setSelection(new StructuredSelection(found), true);
        waitUntil(() -> true, "selection");
        return found;
    }

    @Test
    void perspectiveHasTheLoupeViewsAndTheDefaultModelTree() throws Exception {
        assertEquals("org.loupe.ui.perspective", page.getPerspective().getId());
        assertNotNull(page.findView(ModelView.ID));
        assertNotNull(page.findView(AnalysesView.ID));
        assertNotNull(page.findView(RunsView.ID));
        ModelView mv = modelView();
        waitUntil(() -> mv.viewer().getTree().getItemCount() == 12, "12 hook points in the tree");
        TreeItem conv1 = mv.viewer().getTree().getItem(0);
        assertEquals("conv1", conv1.getText(0));
        assertEquals("conv", conv1.getText(1));
        assertEquals("(16, 32, 32)", conv1.getText(2));
        assertEquals("(10)", mv.viewer().getTree().getItem(11).getText(2));
        assertEquals("logits", mv.viewer().getTree().getItem(11).getText(1));
        assertEquals("Model: Seeded CNN (untrained)", mv.getPartName());
    }

    @Test
    void analysesViewOffersOnlyWhatAppliesToTheSelection() throws Exception {
        AnalysesView av = analysesView();
        select("relu1");
        List<String> conv = av.offered().stream().map(AnalysisDescriptor::id).toList();
        assertTrue(conv.contains(STATS), conv.toString());
        assertFalse(conv.contains("org.loupe.ui.tests.attentionOnly"), conv.toString());
        assertFalse(conv.contains("org.loupe.ui.tests.logitsOnly"), conv.toString());
        assertFalse(conv.contains("org.loupe.ui.tests.modelLevel"), conv.toString());
        select("fc");
        List<String> logits = av.offered().stream().map(AnalysisDescriptor::id).toList();
        assertTrue(logits.contains("org.loupe.ui.tests.logitsOnly") && logits.contains(STATS), logits.toString());
        av.select(null);
        List<String> model = av.offered().stream().map(AnalysisDescriptor::id).toList();
        assertTrue(model.contains("org.loupe.ui.tests.modelLevel") && model.contains("org.loupe.analysis.prediction"), model.toString());
        assertFalse(model.contains(STATS) || model.contains("org.loupe.ui.tests.logitsOnly"), model.toString());
    }

    @Test
    void runFromTheFormOpensTheResultWithChartsAndExports() throws Exception {
        AnalysesView av = analysesView();
        select("relu2");
        av.choose(session.registry().requireAnalysis(STATS));
        av.setParameter("images", "noise:count=4,size=32");
        av.setParameter("bins", "12");
        AnalysisJob job = av.run();
        assertNotNull(job);
        assertEquals(IStatus.OK, waitForJob(job).getSeverity(), () -> job.getResult().getMessage());
        Run run = job.run();
        waitUntil(() -> page.getActiveEditor() instanceof ResultEditor e && e.run() != null && e.run().id().equals(run.id()),
                "the result editor");
        ResultEditor editor = (ResultEditor) page.getActiveEditor();
        waitUntil(() -> !charts(editor).isEmpty(), "charts in the editor");
        List<ChartComposite> charts = charts(editor);
        assertEquals(2, charts.size());
        assertEquals("Histogram of relu2 activations", charts.get(0).getChart().getTitle().getText());
        assertEquals(12, charts.get(0).getChart().getXYPlot().getDataset().getItemCount(0));
        assertEquals(12L, run.provenance().parameters().get("bins"));

        Path out = dir.resolve("export");
        assertEquals(IStatus.OK, waitForJob(editor.export(run, out)).getSeverity());
        BufferedImage png = ImageIO.read(out.resolve("02-histogram-of-relu2-activations.png").toFile());
        assertEquals(900, png.getWidth());
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"bins\": 12"));
        assertTrue(Files.exists(out.resolve("04-per-unit-statistics-of-relu2.csv")));
        IStatus again = waitForJob(editor.export(run, out));
        assertEquals(IStatus.ERROR, again.getSeverity(), "exporting twice to one folder must not overwrite");
        waitUntil(() -> !reported.isEmpty(), "the export error report");
        assertTrue(reported.get(0).getMessage().contains("already exists (nothing was overwritten)"), reported.get(0).getMessage());

        RunsView rv = (RunsView) page.showView(RunsView.ID);
        waitForJob(rv.refresh());
        waitUntil(() -> rv.runs().stream().anyMatch(s -> s.id().equals(run.id())), "the run in the Runs view");
        page.closeAllEditors(false);
        RunSummary summary = rv.runs().stream().filter(s -> s.id().equals(run.id())).findFirst().orElseThrow();
        rv.open(summary);
        waitUntil(() -> page.getActiveEditor() instanceof ResultEditor e && e.run() != null, "the reopened result");
        assertEquals(run, ((ResultEditor) page.getActiveEditor()).run());
    }

    @Test
    void goToHookPointExplainsUnknownNames() throws Exception {
        ModelView mv = modelView();
        assertFalse(mv.goTo("conv9"));
        assertTrue(mv.findMessage().contains("has no hook point 'conv9'. Did you mean: conv1"), mv.findMessage());
        assertTrue(mv.goTo("relu3"));
        assertEquals("", mv.findMessage());
        waitUntil(() -> true, "selection");
        HookNode selected = (HookNode) mv.viewer().getStructuredSelection().getFirstElement();
        assertEquals("relu3", selected.point().name());
    }

    @Test
    void invalidFormValuesAreExplainedAndNothingRuns() throws Exception {
        AnalysesView av = analysesView();
        select("relu1");
        av.choose(session.registry().requireAnalysis(STATS));
        av.setParameter("bins", "1");
        assertNull(av.run());
        List<String> labels = new ArrayList<>();
        collect(av.getSite().getShell(), Label.class).forEach(l -> labels.add(l.getText()));
        assertTrue(labels.stream().anyMatch(t -> t.contains("parameter 'bins' must be in [2, 1000], got 1")), labels.toString());
    }

    @Test
    void corruptModelFileIsReportedAndTheOpenModelStays() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\"architecture\": \"sequential-cnn\", \"input\": {\"channels\": 3, \"height\": 8,"
                + " \"width\": 8}, \"layers\": [{\"name\": \"c\", \"type\": \"conv2d\", \"out_channels\": 2, \"kernel\": 3}]}");
        Files.write(dir.resolve("bad.safetensors"), new byte[] {42, 0, 0, 0, 0, 0, 0, 0, '{'});
        HookedModel before = session.model().orElseThrow();
        IStatus s = waitForJob(session.openModel(dir.resolve("bad.json").toString()));
        assertEquals(IStatus.ERROR, s.getSeverity());
        waitUntil(() -> !reported.isEmpty(), "the error report");
        String msg = reported.get(0).getMessage();
        assertTrue(msg.contains("Cannot open model") && msg.contains("bad.safetensors is not a valid safetensors file"), msg);
        assertTrue(session.model().get() == before, "the open model stays open");
    }

    @Test
    void preferencesPageOpensAndRunStoreMoves() throws Exception {
        PreferenceDialog d = PreferencesUtil.createPreferenceDialogOn(page.getWorkbenchWindow().getShell(), "org.loupe.ui.preferences",
                new String[] {"org.loupe.ui.preferences"}, null);
        d.setBlockOnOpen(false);
        d.open();
        try {
            assertNotNull(d.getSelectedPage());
            assertEquals("Loupe", ((org.eclipse.jface.preference.IPreferencePage) d.getSelectedPage()).getTitle());
        } finally {
            d.close();
        }
        Path before = session.store().root();
        Path moved = dir.resolve("runs-elsewhere");
        LoupePreferences.node().put(LoupePreferences.RUN_STORE, moved.toString());
        try {
            assertEquals(moved.toAbsolutePath(), session.store().root());
        } finally {
            LoupePreferences.node().remove(LoupePreferences.RUN_STORE);
        }
        assertEquals(before, session.store().root());
    }

    private static List<ChartComposite> charts(IEditorPart editor) {
        return collect(editor.getSite().getShell(), ChartComposite.class);
    }

    static <T> List<T> collect(Control root, Class<T> type) {
        List<T> out = new ArrayList<>();
        if (type.isInstance(root) && !root.isDisposed() && root.isVisible()) {
            out.add(type.cast(root));
        }
        if (root instanceof Composite c) {
            for (Control child : c.getChildren()) {
                out.addAll(collect(child, type));
            }
        }
        return out;
    }

    @Test
    void resultEditorNamesTheRunItShows() throws Exception {
        Run run = session.runner().run(new org.loupe.core.run.AnalysisRequest("org.loupe.ui.tests.modelLevel", session.model().get(),
                org.loupe.core.analysis.Selection.NONE, java.util.Map.of("text", "hi"), 0), null);
        IEditorPart e = page.openEditor(new org.loupe.ui.internal.editors.RunEditorInput(run.id(), session.store().root(), "Echo"),
                ResultEditor.ID);
        assertInstanceOf(ResultEditor.class, e);
        waitUntil(() -> ((ResultEditor) e).run() != null, "the run to load");
        waitUntil(() -> collect(e.getSite().getShell(), org.eclipse.swt.widgets.Text.class).stream()
                .anyMatch(t -> t.getText().equals("hi @ null")), "the echoed text");
    }

    @Test
    void predictionViewShowsTopClassesAsAChart() throws Exception {
        org.loupe.ui.internal.views.PredictionView pv = (org.loupe.ui.internal.views.PredictionView) page
                .showView(org.loupe.ui.internal.views.PredictionView.ID);
        pv.setImages("noise:count=3,size=32");
        AnalysisJob job = pv.predict();
        assertEquals(IStatus.OK, waitForJob(job).getSeverity(), () -> job.getResult().getMessage());
        waitUntil(() -> pv.last() != null && pv.last().id().equals(job.run().id()), "the prediction to show");
        List<ChartComposite> charts = collect(pv.getSite().getShell(), ChartComposite.class);
        assertTrue(charts.stream().anyMatch(c -> c.getChart().getTitle().getText().startsWith("Top classes of noise-0")),
                "a top-classes chart");
        assertEquals(10, session.model().get().labels().size());
    }

    @Test
    void imageSourceDialogPreviewsAndBuildsASpec() throws Exception {
        org.loupe.ui.internal.dialogs.ImageSourceDialog d = new org.loupe.ui.internal.dialogs.ImageSourceDialog(
                page.getWorkbenchWindow().getShell(), session.registry(), "noise:count=3");
        d.setBlockOnOpen(false);
        d.open();
        try {
            waitUntil(() -> !collect(d.getShell(), org.loupe.ui.ImageCanvas.class).isEmpty(), "the preview");
            assertEquals("noise:count=3", d.currentSpec());
            org.eclipse.swt.widgets.Text size = collect(d.getShell(), org.eclipse.swt.widgets.Text.class).stream()
                    .filter(t -> t.getText().equals("64")).findFirst().orElseThrow();
            size.setText("16");
            assertEquals("noise:count=3,size=16", d.currentSpec());
            size.setText("0");
            waitUntil(() -> collect(d.getShell(), Label.class).stream().anyMatch(l -> l.getText().contains("parameter 'size' must be in [1, 4096], got 0")),
                    "the parameter error in the dialog");
        } finally {
            d.close();
        }
    }
}

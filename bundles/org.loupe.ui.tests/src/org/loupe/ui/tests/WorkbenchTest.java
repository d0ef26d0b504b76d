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
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
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
        av.setImages("noise:count=4,size=32");
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
        assertEquals("noise:count=4,size=32: 4 images read (4 uniform-noise images of 32x32 (seed 0))", run.provenance().describeImages(),
                "the provenance names the images the form gave");
        assertTrue(collect(editor.getSite().getShell(), org.eclipse.swt.widgets.Text.class).stream()
                .anyMatch(t -> t.getText().contains("Images: noise:count=4,size=32: 4 images read")), "the provenance line shows them");

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

    /**
     * A ViT whose sidecar gives only the heads: the Model view lists the resolved configuration
     * with each value's origin, and warns of the guessed normalisation with the sidecar line that
     * settles it.
     */
    @Test
    void modelViewShowsTheConfigurationAndWarnsOfGuesses() throws Exception {
        try (java.io.InputStream in = org.loupe.models.BundledModels.class.getResourceAsStream("/models/demo-vit.safetensors")) {
            Files.copy(in, dir.resolve("vit.safetensors"));
        }
        Files.writeString(dir.resolve("vit.json"), "{\"heads\": 4}");
        ModelView mv = modelView();
        try {
            IStatus s = waitForJob(session.openModel(dir.resolve("vit.safetensors").toString()));
            assertEquals(IStatus.OK, s.getSeverity(), s.toString());
            waitUntil(() -> !mv.warningText().isEmpty(), "the warning in the Model view");
            assertTrue(mv.warningText().contains("normalization (x - [0.5, 0.5, 0.5]) / [0.5, 0.5, 0.5] is a guess")
                    && mv.warningText().contains("\"input\": {\"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5]}"), mv.warningText());
            String config = mv.configurationText();
            assertTrue(config.contains("heads: 4 (of 24)  [config: sidecar vit.json]"), config);
            assertTrue(config.contains("layer_norm_eps: 1.0E-6  [file: tensor names: timm ViT"), config);
            assertTrue(config.contains("normalization: (x - [0.5, 0.5, 0.5]) / [0.5, 0.5, 0.5]  [GUESSED: "), config);
            screenshot("model-configuration");
        } finally {
            openTestModel(session);
        }
        waitUntil(() -> mv.warningText().isEmpty(), "the seeded CNN has no guesses to warn of");
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

    static final String HOLD = "org.loupe.ui.tests.hold";

    @Test
    void analysisThatDoesNotApplyIsGreyedWithTheReason() throws Exception {
        AnalysesView av = analysesView();
        av.select(null);
        AnalysisDescriptor attention = session.registry().requireAnalysis("org.loupe.ui.tests.needsAttention");
        AnalysisDescriptor whole = session.registry().requireAnalysis("org.loupe.ui.tests.modelLevel");
        assertTrue(av.offered().contains(attention), "shown, not hidden: " + av.offered());
        String why = "'Attention pattern (test)' needs attention hook points, and Seeded CNN (untrained) has none (it is not a vision transformer).";
        assertEquals(why, av.unavailableReason(attention));
        assertNull(av.unavailableReason(whole));
        TableItem greyed = row(av, attention);
        assertEquals("needs attention hook points, and Seeded CNN (untrained) has none (it is not a vision transformer).", greyed.getText(1));
        assertEquals(Display.getCurrent().getSystemColor(SWT.COLOR_WIDGET_DISABLED_FOREGROUND), greyed.getForeground(0));
        assertEquals("", row(av, whole).getText(1));
        assertTrue(av.offered().indexOf(whole) < av.offered().indexOf(attention), "what can run comes first");
        av.choose(null);
        screenshot("analyses-greyed");
        av.choose(attention);
        waitUntil(() -> true, "the form");
        screenshot("analyses-greyed-chosen");
        assertTrue(labels(av).contains("Not available: " + why), labels(av).toString());
        assertTrue(button(av, "Run").isEmpty(), "an analysis that does not apply has no Run");
        assertNull(av.run());
        HookedModel vit = session.registry().openModel("demo-vit", new NullProgressMonitor());
        try {
            assertEquals(java.util.Optional.empty(), attention.unavailableReason(vit), "the demo ViT has attention hook points");
        } finally {
            vit.close();
        }
    }

    @Test
    void cancelBesideRunCancelsTheJob() throws Exception {
        AnalysesView av = analysesView();
        av.select(null);
        av.choose(session.registry().requireAnalysis(HOLD));
        Button run = button(av, "Run").orElseThrow();
        Button cancel = button(av, "Cancel").orElseThrow();
        assertFalse(cancel.isEnabled(), "nothing to cancel yet");
        AnalysisJob job = av.run();
        assertNotNull(job);
        waitUntil(() -> job.getState() == Job.RUNNING, "the job to run");
        assertTrue(cancel.isEnabled() && !run.isEnabled(), "Cancel while it runs, no second Run");
        screenshot("analyses-cancel");
        cancel.notifyListeners(SWT.Selection, new Event());
        assertEquals(IStatus.CANCEL, waitForJob(job).getSeverity());
        assertNull(job.run());
        waitUntil(() -> run.isEnabled() && !cancel.isEnabled(), "Run back, Cancel off");
        assertTrue(labels(av).contains("Cancelled Hold (test); nothing was saved."), labels(av).toString());
    }

    @Test
    void switchingTheModelDuringARunDoesNotCloseItUnderTheJob() throws Exception {
        ProbeModel probe = new ProbeModel(session.registry().openModel("seq-cnn-seeded", new NullProgressMonitor()));
        session.setModel(probe);
        AnalysesView av = analysesView();
        waitUntil(() -> true, "the view to follow the model");
        av.select(null);
        av.choose(session.registry().requireAnalysis(HOLD));
        AnalysisJob job = av.run();
        assertNotNull(job);
        waitUntil(() -> probe.forwards() > 0, "the job to run on the model");
        waitForJob(session.openModel("seq-cnn-seeded"));
        assertTrue(session.model().get() != probe, "another model is open");
        int seen = probe.forwards();
        waitUntil(() -> probe.forwards() > seen + 2, "forward passes on the first model after the switch");
        assertFalse(probe.closed(), "the model a job runs on stays open");
        assertEquals(List.of(job), session.jobsUsing(probe));
        waitUntil(() -> labels(av).contains("Hold (test) still runs on Seeded CNN (untrained), which stays open until it ends. Cancel stops it."),
                "the user is told");
        button(av, "Cancel").orElseThrow().notifyListeners(SWT.Selection, new Event());
        assertEquals(IStatus.CANCEL, waitForJob(job).getSeverity(), () -> job.getResult().getMessage());
        waitUntil(probe::closed, "the first model to close once its job has ended");
        assertEquals(List.of(), session.jobsUsing(probe));
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void replacedModelsAreClosedOnceUnusedAndTakeNoNewJobs() throws Exception {
        Session s = new Session(session.registry(), session.store(), reported::add);
        ProbeModel a = new ProbeModel(session.registry().openModel("seq-cnn-seeded", new NullProgressMonitor()));
        ProbeModel b = new ProbeModel(session.registry().openModel("seq-cnn-seeded", new NullProgressMonitor()));
        s.setModel(a);
        s.setModel(b);
        assertTrue(a.closed(), "a model no job runs on is closed when another one is opened");
        AnalysisJob late = new AnalysisJob("late", s.runner(), new org.loupe.core.run.AnalysisRequest(HOLD, a,
                org.loupe.core.analysis.Selection.NONE, java.util.Map.of(), 0));
        assertFalse(s.schedule(late), "a job on a model that is already closed does not start");
        assertEquals(Job.NONE, late.getState());
        s.dispose();
        assertTrue(b.closed(), "dispose closes the open model");
    }

    @Test
    void corruptModelFileYieldsOneDialog() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\"architecture\": \"sequential-cnn\", \"input\": {\"channels\": 3, \"height\": 8,"
                + " \"width\": 8}, \"layers\": [{\"name\": \"c\", \"type\": \"conv2d\", \"out_channels\": 2, \"kernel\": 3}]}");
        Files.write(dir.resolve("bad.safetensors"), new byte[] {42, 0, 0, 0, 0, 0, 0, 0, '{'});
        session.setErrorReporter(org.loupe.ui.internal.Activator::showError);
        // the test harness runs in "automated mode", where the job framework shows no dialogs: turn it off here
        boolean automated = ErrorDialog.AUTOMATED_MODE;
        ErrorDialog.AUTOMATED_MODE = false;
        try {
            assertOneDialogForACorruptModel();
        } finally {
            ErrorDialog.AUTOMATED_MODE = automated;
        }
    }

    private void assertOneDialogForACorruptModel() throws Exception {
        List<Shell> before = List.of(Display.getCurrent().getShells());
        // control: a failing user job of the job framework's own does raise its "problem" dialog here
        Job control = Job.create("Control job", (org.eclipse.core.runtime.jobs.IJobFunction) m -> org.eclipse.core.runtime.Status.error("control failure"));
        control.setUser(true);
        control.schedule();
        waitForJob(control);
        waitUntil(() -> !dialogs(before).isEmpty(), "the job framework's dialog for the control job");
        screenshot("control-dialog");
        closeAll(dialogs(before));
        waitUntil(() -> dialogs(before).isEmpty(), "the control dialog to close");

        IStatus s = waitForJob(session.openModel(dir.resolve("bad.json").toString()));
        assertEquals(IStatus.ERROR, s.getSeverity());
        waitUntil(() -> !dialogs(before).isEmpty(), "the error dialog");
        List<Shell> shown = dialogs(before);
        try {
            screenshot("one-dialog");
            assertEquals(1, shown.size(), () -> "dialogs: " + shown.stream().map(Shell::getText).toList());
            assertEquals("Loupe", shown.get(0).getText());
            String msg = collect(shown.get(0), Label.class).stream().map(Label::getText).filter(t -> t.contains("Cannot open model"))
                    .findFirst().orElseThrow();
            assertTrue(msg.contains("bad.safetensors is not a valid safetensors file"), msg);
        } finally {
            closeAll(shown);
        }
    }

    /** The visible shells that were not open {@code before}. */
    private static List<Shell> dialogs(List<Shell> before) {
        return java.util.Arrays.stream(Display.getCurrent().getShells()).filter(sh -> !sh.isDisposed() && sh.isVisible() && !before.contains(sh))
                .toList();
    }

    private static void closeAll(List<Shell> shells) {
        shells.forEach(sh -> {
            if (!sh.isDisposed()) {
                sh.close();
            }
        });
    }

    private static TableItem row(AnalysesView av, AnalysisDescriptor d) {
        for (TableItem item : av.viewer().getTable().getItems()) {
            if (d.equals(item.getData())) {
                return item;
            }
        }
        throw new AssertionError("no row for " + d.id());
    }

    static List<String> labels(AnalysesView av) {
        return collect(av.getSite().getShell(), Label.class).stream().map(Label::getText).toList();
    }

    private static java.util.Optional<Button> button(AnalysesView av, String text) {
        return collect(av.getSite().getShell(), Button.class).stream().filter(b -> b.getText().equals(text)).findFirst();
    }

    /**
     * Saves the screen as {@code NAME.png} in the folder named by the system property
     * {@code loupe.screenshots}, if it is set (to look at the workbench a test has set up).
     */
    private static void screenshot(String name) throws Exception {
        String folder = System.getProperty("loupe.screenshots");
        if (folder == null) {
            return;
        }
        waitUntil(() -> true, "painting");
        Files.createDirectories(Path.of(folder));
        Process p = new ProcessBuilder("import", "-window", "root", Path.of(folder, name + ".png").toString()).inheritIO().start();
        p.waitFor();
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

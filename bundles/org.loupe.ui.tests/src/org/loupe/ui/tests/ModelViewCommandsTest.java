package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.ui.tests.WorkbenchTest.collect;
import static org.loupe.ui.tests.WorkbenchTest.waitForJob;
import static org.loupe.ui.tests.WorkbenchTest.waitUntil;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.jfree.chart.swt.ChartComposite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.Result;
import org.loupe.core.run.AnalysisJob;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.ResultEditor;

/**
 * The feature-visualization commands of the Model view, run through the command framework as the
 * context menu and the key bindings run them, on the seeded demo CNN with few steps.
 */
class ModelViewCommandsTest {

    private static final String VISUALIZE = "org.loupe.analysis.featureviz.ui.visualize";
    private static final String VISUALIZE_LAYER = "org.loupe.analysis.featureviz.ui.visualizeLayer";
    private static final String OPEN_UNIT_PAGE = "org.loupe.analysis.units.ui.openUnitPage";
    private final List<IStatus> reported = new CopyOnWriteArrayList<>();
    private IWorkbenchPage page;
    private HookedModel model;
    private HookPoint conv;
    @BeforeEach
    void workbench() {
        Session.get().setErrorReporter(reported::add);
        WorkbenchTest.openTestModel(Session.get());
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.closeAllEditors(false);
        model = Session.get().model().orElseThrow();
        conv = model.hookPoints().stream().filter(p -> p.kind() == HookKind.CONV_CHANNELS).findFirst().orElseThrow();
    }

    private static Object execute(String command, Map<String, String> parameters) throws Exception {
        var commands = PlatformUI.getWorkbench().getService(ICommandService.class);
        var handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        return handlers.executeCommand(ParameterizedCommand.generateCommand(commands.getCommand(command), parameters), null);
    }

    /** Waits for {@code job} and for the result editor of its run. */
    private ResultEditor finished(AnalysisJob job) {
        IStatus status = waitForJob(job);
        assertTrue(status.isOK(), status.toString());
        waitUntil(() -> page.getActiveEditor() instanceof ResultEditor e && e.run() != null && e.run().id().equals(job.run().id()),
                "the result editor of " + job.getName());
        return (ResultEditor) page.getActiveEditor();
    }

    private static <T extends Result> T part(Result r, Class<T> type) {
        return ((CompositeResult) r).parts().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void openUnitPageShowsTheUnitsPageAndNavigateBackReturnsToThePreviousOne() throws Exception {
        Map<String, String> quick = Map.of("layer", conv.name(), "unit", "1", "steps", "4", "sections", "featureviz+weights");
        ResultEditor first = finished(assertInstanceOf(AnalysisJob.class, execute(OPEN_UNIT_PAGE, quick)));
        assertTrue(reported.isEmpty(), reported.toString());
        assertEquals("org.loupe.analysis.unitPage", first.run().provenance().analysisId());
        assertEquals("Unit page of " + conv.name() + ":1", first.run().result().title());
        List<String> titles = collect(first.content(), Label.class).stream().map(Label::getText).toList();
        assertTrue(titles.contains("Feature visualization") && titles.contains("Strongest input connections") && titles.contains("Neighbours"),
                titles.toString());

        Map<String, String> next = new java.util.HashMap<>(quick);
        next.put("unit", "2");
        ResultEditor second = finished(assertInstanceOf(AnalysisJob.class, execute(OPEN_UNIT_PAGE, next)));
        assertEquals("Unit page of " + conv.name() + ":2", second.run().result().title());
        ResultViewsTest.screenshot("unit-page");
        execute("org.eclipse.ui.navigate.backwardHistory", Map.of());
        waitUntil(() -> page.getActiveEditor() == first, "Navigate > Back to the page of unit 1");
        execute("org.eclipse.ui.navigate.forwardHistory", Map.of());
        waitUntil(() -> page.getActiveEditor() == second, "Navigate > Forward to the page of unit 2");
    }

    @Test
    void openUnitPageOnAUnitOutOfRangeIsAMessageAndNoRun() throws Exception {
        Object job = execute(OPEN_UNIT_PAGE, Map.of("layer", conv.name(), "unit", Long.toString(conv.units())));
        assertNull(job);
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).getMessage().contains("out of range"), reported.get(0).getMessage());
        assertEquals(0, page.getEditorReferences().length);
    }

    @Test
    void visualizeRunsTheUnitAndItsEditorShowsAnImageOfTheInputSide() throws Exception {
        AnalysisJob job = assertInstanceOf(AnalysisJob.class,
                execute(VISUALIZE, Map.of("layer", conv.name(), "unit", "1", "steps", "40")));
        ResultEditor editor = finished(job);

        assertTrue(reported.isEmpty(), reported.toString());
        assertEquals("org.loupe.analysis.featureviz", editor.run().provenance().analysisId());
        assertEquals(conv.name(), editor.run().provenance().selection().hookPoint());
        assertEquals(1, editor.run().provenance().selection().unit());
        int side = Math.min(128, Math.max(model.inputSpec().height(), model.inputSpec().width()));
        ImageResult image = part(editor.run().result(), ImageResult.class);
        assertEquals(side, image.image().width());
        assertEquals(side, image.image().height());
        // the editor shows it: one image canvas holding one picture
        List<ImageCanvas> canvases = collect(editor.content(), ImageCanvas.class);
        assertEquals(1, canvases.stream().filter(c -> c.size() == 1).count(), canvases.toString());
        ResultViewsTest.screenshot("featureviz-unit");
    }

    @Test
    void theLivePreviewShowsTheImageWithItsStepAndObjectiveAndCancelSavesNothing() throws Exception {
        int runsBefore = Session.get().store().list().size();
        AnalysisJob job = assertInstanceOf(AnalysisJob.class,
                execute(VISUALIZE, Map.of("layer", conv.name(), "unit", "2", "steps", "5000")));
        waitUntil(() -> preview() != null && preview().previewed() instanceof ImageResult, "a live preview");
        ImageResult shown = (ImageResult) preview().previewed();
        assertTrue(shown.title().matches("Step \\d+ of 5000, objective -?[0-9.e+-]+"), shown.title());
        assertEquals(1, collect(preview().content(), ImageCanvas.class).size());
        ResultViewsTest.screenshot("featureviz-live-preview");
        job.cancel();
        assertEquals(IStatus.CANCEL, waitForJob(job).getSeverity());
        waitUntil(() -> preview() == null, "the preview to close");
        assertEquals(runsBefore, Session.get().store().list().size());
        assertTrue(reported.isEmpty(), reported.toString());
    }

    /** The open live preview (a result editor without a stored run), or null. */
    private ResultEditor preview() {
        for (var ref : page.getEditorReferences()) {
            if (ref.getEditor(false) instanceof ResultEditor e && e.run() == null) {
                return e;
            }
        }
        return null;
    }

    @Test
    void aUnitOutOfRangeOrAWrongLayerIsAMessageAndNoRun() throws Exception {
        assertNull(execute(VISUALIZE, Map.of("layer", conv.name(), "unit", Long.toString(conv.units()), "steps", "4")));
        assertEquals(1, reported.size());
        assertEquals("Unit " + conv.units() + " is out of range: " + conv.name() + " has " + conv.units() + " units (0.." + (conv.units() - 1) + ").",
                reported.get(0).getMessage());

        assertNull(execute(VISUALIZE_LAYER, Map.of("layer", "no.such.layer", "steps", "4")));
        assertEquals(2, reported.size());
        String message = reported.get(1).getMessage();
        assertTrue(message.contains("no.such.layer"), message);
        assertTrue(!message.contains("Exception"), message);
        assertEquals(0, page.getEditorReferences().length);
    }

    @Test
    void aLayerGalleryHasEveryUnitAndItsContactSheetIsTheGridOfThem(@TempDir Path dir) throws Exception {
        AnalysisJob job = assertInstanceOf(AnalysisJob.class,
                execute(VISUALIZE_LAYER, Map.of("layer", conv.name(), "steps", "3", "batch", "4")));
        ResultEditor editor = finished(job);

        assertTrue(reported.isEmpty(), reported.toString());
        int n = (int) conv.units();
        GalleryResult gallery = part(editor.run().result(), GalleryResult.class);
        assertEquals(n, gallery.items().size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, gallery.items().get(i).unit().unit());
            assertEquals(conv.name(), gallery.items().get(i).unit().hookPoint());
        }
        ImageCanvas grid = collect(editor.content(), ImageCanvas.class).stream().filter(c -> c.size() == n).findFirst().orElseThrow();

        // a click on a picture shows its details beside the gallery: the large image, its objective by step, its parameters
        int charts = collect(editor.content(), ChartComposite.class).size();
        Point third = grid.centreOf(2);
        Event click = new Event();
        click.x = third.x;
        click.y = third.y;
        click.button = 1;
        grid.notifyListeners(SWT.MouseUp, click);
        waitUntil(() -> collect(editor.content(), ChartComposite.class).size() == charts + 1, "the unit's objective curve");
        String title = "Feature visualization of " + conv.name() + ":2";
        assertTrue(collect(editor.content(), Label.class).stream().anyMatch(l -> l.getText().equals(title)), "the detail's title");
        assertTrue(collect(editor.content(), ImageCanvas.class).stream().anyMatch(c -> c.size() == 1), "the large image");
        assertTrue(collect(editor.content(), Text.class).stream().anyMatch(t -> t.getText().contains(conv.name() + ":2: channel mean")),
                "the parameters");

        // the contact sheet: 128-pixel cells, 4-pixel gaps, a 16-pixel caption line, at most 8 columns
        waitForJob(editor.export(editor.run(), dir.resolve("out")));
        Path sheet;
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            sheet = files.filter(p -> p.getFileName().toString().matches("\\d+-feature-visualizations-of-.*\\.png")
                    && !p.getFileName().toString().contains("-item")).findFirst().orElse(null);
        }
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertEquals(n, files.filter(p -> p.getFileName().toString().matches(".*-item\\d+-.*objective-by-step\\.csv")).count(),
                    "every unit's objective curve is exported as CSV");
        }
        assertNotNull(sheet, "no contact sheet in " + dir.resolve("out"));
        BufferedImage png = ImageIO.read(sheet.toFile());
        int cols = Math.min(8, n);
        int rows = (n + cols - 1) / cols;
        assertEquals(cols * (128 + 4) + 4, png.getWidth());
        assertEquals(rows * (128 + 16 + 4) + 4, png.getHeight());
        assertTrue(Files.readString(dir.resolve("out").resolve("run.json")).contains("\"batch\""));
        ResultViewsTest.screenshot("featureviz-gallery");
    }
}

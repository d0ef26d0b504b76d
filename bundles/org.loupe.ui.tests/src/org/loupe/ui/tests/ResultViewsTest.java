package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.ui.tests.WorkbenchTest.collect;
import static org.loupe.ui.tests.WorkbenchTest.waitForJob;
import static org.loupe.ui.tests.WorkbenchTest.waitUntil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.jfree.chart.plot.PolarPlot;
import org.jfree.chart.swt.ChartComposite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.store.RunStore;
import org.loupe.core.store.RunSummary;
import org.loupe.render.Exporter;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.PreviewEditorInput;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.editors.RunEditorInput;
import org.loupe.ui.internal.render.ResultRenderers;
import org.loupe.ui.internal.render.ResultRenderers.Declaration;
import org.loupe.ui.internal.views.HookNode;
import org.loupe.ui.internal.views.ModelView;
import org.loupe.ui.internal.views.RunsView;

/** The new result parts in the result editor: unit links, heat maps, polar charts, galleries, a plug-in's own view, previews. */
class ResultViewsTest {

    private IWorkbenchPage page;
    private Session session;
    private final List<IStatus> reported = new ArrayList<>();

    @BeforeEach
    void workbench() {
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        session = Session.get();
        session.setErrorReporter(reported::add);
        WorkbenchTest.openTestModel(session);
        page.closeAllEditors(false);
    }

    private ModelInfo model() {
        return session.model().orElseThrow().info();
    }

    private Run save(Result result) throws Exception {
        return session.store().save(new Provenance("org.loupe.ui.tests.saved", "Saved (test)", model(), Selection.NONE, Map.of(), 0,
                "0.1.0", Instant.now(), 1), result);
    }

    private ResultEditor open(Run run) throws Exception {
        IEditorPart e = page.openEditor(new RunEditorInput(run.id(), session.store().root(), run.result().title()), ResultEditor.ID);
        ResultEditor editor = assertInstanceOf(ResultEditor.class, e);
        waitUntil(() -> editor.run() != null && editor.content().getChildren().length > 2, "the run to show");
        return editor;
    }

    /** Saves a picture of the workbench window under the test bundle's work folder, for people to look at. */
    static Path screenshot(String name) throws Exception {
        return screenshotOf(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), name);
    }

    /** Saves a picture of {@code shell} under the test bundle's work folder, for people to look at. */
    static Path screenshotOf(Shell shell, String name) throws Exception {
        Display d = shell.getDisplay();
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            // GTK paints on its frame clock: let it run a few frames
            if (!d.readAndDispatch()) {
                Thread.sleep(10);
            }
        }
        Rectangle b = shell.getBounds();
        Image img = new Image(d, b.width, b.height);
        GC gc = new GC(d);
        try {
            gc.copyArea(img, b.x, b.y);
        } finally {
            gc.dispose();
        }
        Path dir = Path.of(System.getProperty("loupe.test.work", System.getProperty("java.io.tmpdir")), "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {img.getImageData()};
        loader.save(file.toString(), SWT.IMAGE_PNG);
        img.dispose();
        return file;
    }

    private static void click(org.eclipse.swt.widgets.Control c, int x, int y) {
        Event e = new Event();
        e.x = x;
        e.y = y;
        e.button = 1;
        c.notifyListeners(SWT.MouseUp, e);
    }

    @Test
    void clickingAUnitCellSelectsItInTheModelView() throws Exception {
        String id = model().id();
        Run run = save(new TableResult("Top units", List.of("unit", "score"), List.of(List.of(new UnitRef(id, "relu1", 5), 0.75),
                List.of(new UnitRef("another-model", "conv1", 1), 0.5))));
        ResultEditor editor = open(run);
        Table table = collect(editor.content(), Table.class).get(0);
        assertEquals("relu1:5", table.getItem(0).getText(0));
        Rectangle cell = table.getItem(0).getBounds(0);
        click(table, cell.x + 3, cell.y + cell.height / 2);
        waitUntil(() -> true, "the selection");

        ModelView mv = (ModelView) page.findView(ModelView.ID);
        assertNotNull(mv);
        HookNode selected = (HookNode) mv.viewer().getStructuredSelection().getFirstElement();
        assertEquals("relu1", selected.path());
        assertEquals(new UnitRef(id, "relu1", 5), mv.selectedUnit().orElseThrow());
        assertEquals("Unit 5 of relu1", mv.getContentDescription());
        screenshot("unit-link-selected");

        // a unit of a model that is not open: nothing is selected, the Model view says why
        Rectangle other = table.getItem(1).getBounds(0);
        click(table, other.x + 3, other.y + other.height / 2);
        waitUntil(() -> true, "the selection");
        assertEquals("relu1", ((HookNode) mv.viewer().getStructuredSelection().getFirstElement()).path());
        assertTrue(mv.findMessage().contains("belongs to model 'another-model'"), mv.findMessage());
    }

    @Test
    void heatMapPolarChartAndGalleryRender() throws Exception {
        String id = model().id();
        int size = 64;
        int[] px = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean square = x > 12 && x < 40 && y > 20 && y < 50;
                px[y * size + x] = square ? 0xE0C040 : ((x / 8 + y / 8) % 2 == 0 ? 0x505060 : 0x707080);
            }
        }
        RasterImage image = new RasterImage(size, size, px);
        float[] blob = new float[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                blob[y * 16 + x] = (float) Math.exp(-((x - 6.5) * (x - 6.5) + (y - 8.5) * (y - 8.5)) / 10.0);
            }
        }
        double[] angles = new double[24];
        double[] response = new double[24];
        for (int i = 0; i < 24; i++) {
            angles[i] = i * 15;
            response[i] = 0.2 + Math.pow(Math.cos(Math.toRadians(angles[i] - 45)), 2);
        }
        Run run = save(new CompositeResult("New parts", List.of(
                new HeatMapResult("Saliency of the square", FloatMap.of(16, 16, blob), image, new OverlayStyle(Colormap.INFERNO, 0, 1, 0.55),
                        "planted blob over the square"),
                new ChartResult("Tuning curve of relu1:5", ChartKind.POLAR, "orientation", "response",
                        List.of(new Series("relu1:5", angles, response))),
                new GalleryResult("Examples of relu1:5", List.of(new GalleryItem(image, "square", 0.93, new UnitRef(id, "relu1", 5)),
                        new GalleryItem(image, "again", 0.41, new UnitRef(id, "relu2", 2))), 4, "act"))));
        ResultEditor editor = open(run);
        waitUntil(() -> !collect(editor.content(), ChartComposite.class).isEmpty(), "the polar chart");
        ChartComposite chart = collect(editor.content(), ChartComposite.class).get(0);
        assertInstanceOf(PolarPlot.class, chart.getChart().getPlot());
        List<ImageCanvas> canvases = collect(editor.content(), ImageCanvas.class);
        assertEquals(2, canvases.size(), "the heat map and the gallery");
        screenshot("heatmap-and-polar");

        // the gallery's second item links to relu2 unit 2
        ImageCanvas gallery = canvases.get(1);
        Point second = gallery.centreOf(1);
        click(gallery, second.x, second.y);
        waitUntil(() -> true, "the selection");
        ModelView mv = (ModelView) page.findView(ModelView.ID);
        assertEquals(new UnitRef(id, "relu2", 2), mv.selectedUnit().orElseThrow());

        // export: the overlay with its colour bar as PNG, the map as NPY (bit-exact) and CSV, the gallery as PNG + CSV, the polar chart as PNG
        Path out = Path.of(System.getProperty("loupe.test.work", System.getProperty("java.io.tmpdir")), "export-" + run.id());
        List<Path> files = Exporter.exportRun(run, out);
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("01-saliency-of-the-square.png", "01-saliency-of-the-square.npy", "01-saliency-of-the-square.csv",
                "02-tuning-curve-of-relu1-5.png", "02-tuning-curve-of-relu1-5.csv", "03-examples-of-relu1-5.png",
                "03-examples-of-relu1-5.csv"), names);
        java.awt.image.BufferedImage overlay = javax.imageio.ImageIO.read(out.resolve(names.get(0)).toFile());
        assertEquals(256 + 16, overlay.getHeight(), "the 64-pixel image enlarged 4x, with 8 pixels of margin above and below");
        // the colour bar (inside its 1-pixel outline) runs from the colormap's last colour at the top to its first at the bottom
        int barX = 8 + 256 + 8 + 8;
        assertEquals(Colormap.INFERNO.rgb(1 - 1 / 255.0), overlay.getRGB(barX, 8 + 1) & 0xFFFFFF);
        assertEquals(Colormap.INFERNO.rgb(1 / 255.0), overlay.getRGB(barX, 8 + 254) & 0xFFFFFF);
        try (var in = Files.newInputStream(out.resolve(names.get(1)))) {
            assertEquals(FloatMap.of(16, 16, blob), FloatMap.readNpy(in));
        }
        List<String> csv = Files.readAllLines(out.resolve(names.get(2)));
        assertEquals("channel,y,x,value", csv.get(0));
        assertEquals(1 + 256, csv.size());
        assertEquals("0,8,6," + Float.toString(blob[8 * 16 + 6]), csv.get(1 + 8 * 16 + 6));
        assertEquals(List.of("item,caption,act,unit", "0,square,0.93," + id + "#relu1:5", "1,again,0.41," + id + "#relu2:2"),
                Files.readAllLines(out.resolve(names.get(6))));
        assertEquals(900, javax.imageio.ImageIO.read(out.resolve(names.get(3)).toFile()).getWidth());
    }

    @Test
    void theExamplePluginsOwnResultTypeReopensFromTheRunsViewAfterARestart() throws Exception {
        Run run = session.runner().run(new AnalysisRequest(WorkbenchTest.STATS, session.model().get(),
                new Selection("relu2", null, "noise:count=4,size=32"), Map.of("bins", "8"), 0), null);
        Result profile = ((CompositeResult) run.result()).parts().get(4);
        assertEquals("org.loupe.example.analysis.UnitProfile", profile.getClass().getName());
        // what a restart gives: a new registry and a new store over the same folder
        Run reopened = new RunStore(session.store().root(), new LoupeRegistry().resultTypes()).load(run.id());
        assertEquals(run, reopened);

        RunsView rv = (RunsView) page.showView(RunsView.ID);
        waitForJob(rv.refresh());
        RunSummary summary = rv.runs().stream().filter(s -> s.id().equals(run.id())).findFirst().orElseThrow();
        rv.open(summary);
        waitUntil(() -> page.getActiveEditor() instanceof ResultEditor e && e.run() != null && e.run().id().equals(run.id()),
                "the reopened run");
        ResultEditor editor = (ResultEditor) page.getActiveEditor();
        waitUntil(() -> collect(editor.content(), Canvas.class).stream().anyMatch(c -> profile.equals(c.getData(profile.getClass().getName()))),
                "the plug-in's own view of the stored profile");
        assertFalse(collect(editor.content(), Label.class).stream().anyMatch(l -> l.getText().startsWith("(no view is declared")),
                "every part has a view");
        Canvas view = collect(editor.content(), Canvas.class).stream().filter(c -> profile.equals(c.getData(profile.getClass().getName())))
                .findFirst().orElseThrow();
        Point at = view.getDisplay().map(view, editor.content(), 0, 0);
        ((org.eclipse.swt.custom.ScrolledComposite) editor.content().getParent()).setOrigin(0, Math.max(0, at.y - 300));
        screenshot("example-unit-profile");
    }

    @Test
    void aPreviewShowsThePartialResultAndIsReplacedByTheNext() throws Exception {
        AnalysisJob job = new AnalysisJob("Preview (test)", session.runner(), new AnalysisRequest("org.loupe.ui.tests.modelLevel",
                session.model().get(), Selection.NONE, Map.of(), 0));
        IEditorPart e = page.openEditor(new PreviewEditorInput(job), ResultEditor.ID);
        ResultEditor editor = assertInstanceOf(ResultEditor.class, e);
        editor.showPreview(new TextResult("Step 1", "first"), model());
        editor.showPreview(new TextResult("Step 2", "second"), model());
        waitUntil(() -> true, "painting");
        List<String> texts = collect(editor.content(), org.eclipse.swt.widgets.Text.class).stream().map(t -> t.getText()).toList();
        assertEquals(List.of("second"), texts);
        assertTrue(collect(editor.content(), Label.class).stream().anyMatch(l -> l.getText().startsWith("Live preview of Preview (test)")));
        assertEquals(new TextResult("Step 2", "second"), editor.previewed());
    }

    @Test
    void theHighestPriorityWinsForAClassWhateverTheOrderAndTheNearestClassFirst() {
        assertEquals(MarkRenderers.High.class, new ResultRenderers().find(new MarkRenderers.Mark("m")).getClass());
        List<Declaration> decls = new ArrayList<>(List.of(
                new Declaration(TextResult.class.getName(), 0, "org.loupe.ui", "Builtin", null),
                new Declaration(TextResult.class.getName(), 10, "org.zeta", "ZetaOverride", null),
                new Declaration(TextResult.class.getName(), 10, "org.alpha", "AlphaOverride", null),
                new Declaration(Result.class.getName(), 100, "org.any", "AnyResult", null)));
        for (int shift = 0; shift < decls.size(); shift++) {
            Collections.rotate(decls, 1);
            ResultRenderers r = new ResultRenderers(decls);
            assertEquals("AlphaOverride", r.declarationFor(TextResult.class).orElseThrow().rendererClass(), "order " + shift);
            assertEquals("AnyResult", r.declarationFor(MarkRenderers.Mark.class).orElseThrow().rendererClass());
        }
    }
}

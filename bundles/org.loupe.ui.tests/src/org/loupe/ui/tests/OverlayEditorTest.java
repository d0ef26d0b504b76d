package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.ui.tests.WorkbenchTest.collect;
import static org.loupe.ui.tests.WorkbenchTest.waitForJob;
import static org.loupe.ui.tests.WorkbenchTest.waitUntil;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.result.TextResult;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.editors.RunEditorInput;
import org.loupe.ui.overlay.LabelledMap;
import org.loupe.ui.overlay.MapCell;
import org.loupe.ui.overlay.OverlayEditor;
import org.loupe.ui.overlay.OverlaySettings;
import org.loupe.ui.overlay.RangeMode;

/** The shared overlay editor: ranges, colours, hover readout, cell clicks (mouse and keys), the batch strip, export; heat-map results in it. */
class OverlayEditorTest {

    private static final int N = 8;
    private Shell shell;
    private final List<IStatus> reported = new ArrayList<>();

    @BeforeEach
    void session() {
        Session.get().setErrorReporter(reported::add);
    }

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
    }

    /** An 8x8 checkerboard of two grays. */
    private static RasterImage board() {
        int[] px = new int[N * N];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((i % N + i / N) % 2 == 0) ? 0x404040 : 0xC0C0C0;
        }
        return new RasterImage(N, N, px);
    }

    /** value(y, x) = y - 0.25 x (so -1.75 to 7). */
    private static float[] ramp() {
        float[] v = new float[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                v[y * N + x] = y - 0.25f * x;
            }
        }
        return v;
    }

    private static int blend(int over, int under, double a) {
        int r = (int) Math.round((over >> 16 & 0xFF) * a + (under >> 16 & 0xFF) * (1 - a));
        int g = (int) Math.round((over >> 8 & 0xFF) * a + (under >> 8 & 0xFF) * (1 - a));
        int b = (int) Math.round((over & 0xFF) * a + (under & 0xFF) * (1 - a));
        return r << 16 | g << 8 | b;
    }

    private OverlayEditor standalone(OverlaySettings s) {
        shell = new Shell(PlatformUI.getWorkbench().getDisplay());
        shell.setLayout(new FillLayout());
        OverlayEditor editor = new OverlayEditor(shell, s);
        shell.setSize(1200, 800);
        shell.open();
        return editor;
    }

    private static void send(Control c, int type, int x, int y) {
        Event e = new Event();
        e.x = x;
        e.y = y;
        e.button = 1;
        c.notifyListeners(type, e);
    }

    private static void key(Control c, int keyCode) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.character = keyCode == ' ' ? ' ' : 0;
        c.notifyListeners(SWT.KeyDown, e);
    }

    private static void select(Combo combo, String item) {
        combo.select(combo.indexOf(item));
        combo.notifyListeners(SWT.Selection, new Event());
    }

    @Test
    void theRangeIsTheMapsOwnSymmetricOrFixed() {
        FloatMap signed = FloatMap.of(1, 4, new float[] {-2, 0.5f, 1, 3});
        OverlaySettings s = new OverlaySettings(Colormap.DIVERGING, 0.5, RangeMode.AUTO, 0, 1);
        OverlayStyle auto = s.styleFor(new LabelledMap("a", signed));
        assertEquals(-2, auto.min());
        assertEquals(3, auto.max());
        OverlayStyle sym = s.withRange(RangeMode.SYMMETRIC).styleFor(new LabelledMap("a", signed));
        assertEquals(-3, sym.min());
        assertEquals(3, sym.max());
        OverlayStyle fixed = s.withRange(RangeMode.FIXED).withFixed(0.25, 0.75).styleFor(new LabelledMap("a", signed));
        assertEquals(0.25, fixed.min());
        assertEquals(0.75, fixed.max());
        assertEquals(0.5, fixed.opacity());
        // a constant map gets a range one wide from its value; an all-zero one [-1, 1] when symmetric
        OverlayStyle constant = s.styleFor(new LabelledMap("c", FloatMap.of(2, 2, new float[] {5, 5, 5, 5})));
        assertEquals(5, constant.min());
        assertEquals(6, constant.max());
        OverlayStyle zeros = s.withRange(RangeMode.SYMMETRIC).styleFor(new LabelledMap("z", FloatMap.of(1, 2, new float[] {0, 0})));
        assertEquals(-1, zeros.min());
        assertEquals(1, zeros.max());
        // the range is the shown channel's: channel 1 holds 10..13, channel 0 holds 0..3
        FloatMap two = new FloatMap(new int[] {2, 2, 2}, new float[] {0, 1, 2, 3, 10, 11, 12, 13});
        OverlayStyle ch1 = s.styleFor(new LabelledMap("c1", two, 1));
        assertEquals(10, ch1.min());
        assertEquals(13, ch1.max());
        assertEquals(12f, new LabelledMap("c1", two, 1).value(new MapCell(1, 0)));
        assertThrows(IllegalArgumentException.class, () -> new LabelledMap("c2", two, 2));
        assertThrows(IllegalArgumentException.class, () -> s.withFixed(1, 1));
    }

    @Test
    void pixelsMapToCellsOfTheGrid() {
        // a 14x14 patch grid drawn over 224 pixels: 16 pixels per patch
        assertEquals(new MapCell(0, 0), MapCell.at(0, 0, 224, 224, 14, 14));
        assertEquals(new MapCell(2, 3), MapCell.at(3 * 16 + 5, 2 * 16 + 15, 224, 224, 14, 14));
        assertEquals(new MapCell(13, 13), MapCell.at(223, 223, 224, 224, 14, 14));
        assertNull(MapCell.at(224, 10, 224, 224, 14, 14));
        assertNull(MapCell.at(-1, 10, 224, 224, 14, 14));
        // a non-square grid (12 rows, 20 columns) over 300 x 180 pixels: 15 pixels per cell both ways
        assertEquals(new MapCell(11, 19), MapCell.at(299, 179, 300, 180, 12, 20));
        assertEquals(new MapCell(1, 2), MapCell.at(30, 15, 300, 180, 12, 20));
        assertEquals(4 * 20 + 7, new MapCell(4, 7).index(20));
    }

    @Test
    void controlsRecolourTheMapAndTheReadoutAndClicksNameTheCell() {
        float[] values = ramp();
        RasterImage image = board();
        OverlayEditor editor = standalone(new OverlaySettings(Colormap.INFERNO, 0.5, RangeMode.FIXED, 0, 4));
        List<String> clicks = new ArrayList<>();
        editor.onCellClicked((panel, cell) -> clicks.add(panel + ":" + cell.row() + "," + cell.col()));
        editor.setMaps(image, List.of(new LabelledMap("ramp", FloatMap.of(N, N, values))));
        waitUntil(() -> true, "painting");
        // the map has the image's size, so pixel (x, y) shows value (y, x) exactly: colour of (v - 0) / (4 - 0), half over the image
        assertEquals(blend(Colormap.INFERNO.rgb(values[3 * N + 2] / 4.0), image.pixel(2, 3), 0.5), editor.shown(0).pixel(2, 3));

        Combo colormap = collect(editor, Combo.class).get(0);
        select(colormap, "viridis");
        Scale opacity = collect(editor, Scale.class).get(0);
        opacity.setSelection(80);
        opacity.notifyListeners(SWT.Selection, new Event());
        assertEquals(Colormap.VIRIDIS, editor.settings().colormap());
        assertEquals(blend(Colormap.VIRIDIS.rgb(values[3 * N + 2] / 4.0), image.pixel(2, 3), 0.8), editor.shown(0).pixel(2, 3));

        Combo range = collect(editor, Combo.class).get(1);
        select(range, "auto");
        assertEquals(-1.75, editor.styleOf(0).min());
        assertEquals(7, editor.styleOf(0).max());
        assertEquals(blend(Colormap.VIRIDIS.rgb((values[5 * N + 1] + 1.75) / 8.75), image.pixel(1, 5), 0.8), editor.shown(0).pixel(1, 5));
        select(range, "symmetric");
        assertEquals(-7, editor.styleOf(0).min());
        assertEquals(7, editor.styleOf(0).max());
        // switching to fixed keeps the range shown, then typed bounds apply on Enter; nonsense is refused with a message
        select(range, "fixed");
        assertEquals(-7, editor.styleOf(0).min());
        List<Text> bounds = collect(editor, Text.class);
        bounds.get(0).setText("1");
        bounds.get(1).setText("3");
        bounds.get(1).notifyListeners(SWT.DefaultSelection, new Event());
        assertEquals(new OverlayStyle(Colormap.VIRIDIS, 1, 3, 0.8), editor.styleOf(0));
        bounds.get(1).setText("0.5");
        bounds.get(1).notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(editor.readout().contains("the first below the second"), editor.readout());
        bounds.get(1).setText("x");
        bounds.get(1).notifyListeners(SWT.DefaultSelection, new Event());
        assertTrue(editor.readout().contains("needs two numbers"), editor.readout());
        assertEquals(new OverlayStyle(Colormap.VIRIDIS, 1, 3, 0.8), editor.styleOf(0));

        // hover: the value under the mouse, exactly
        Point c25 = editor.centreOf(0, new MapCell(2, 5));
        send(editor.panel(0), SWT.MouseMove, c25.x, c25.y);
        assertEquals("ramp: row 2, column 5 (cell 21 of 8x8) = " + Float.toString(2 - 0.25f * 5), editor.readout());
        assertEquals(new MapCell(2, 5), editor.cellAt(0, c25.x, c25.y));
        // click, then the keyboard: right, down, Enter
        send(editor.panel(0), SWT.MouseUp, c25.x, c25.y);
        key(editor.panel(0), SWT.ARROW_RIGHT);
        key(editor.panel(0), SWT.ARROW_DOWN);
        assertEquals(new MapCell(3, 6), editor.cursor());
        key(editor.panel(0), SWT.CR);
        key(editor.panel(0), SWT.ARROW_RIGHT);
        key(editor.panel(0), SWT.ARROW_RIGHT);
        key(editor.panel(0), ' ');
        assertEquals(List.of("0:2,5", "0:3,6", "0:3,7"), clicks, "the cursor stops at the last column");

        // new maps under a still mouse: the readout reads the new value at the same cell
        float[] doubled = values.clone();
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        editor.setMaps(image, List.of(new LabelledMap("doubled", FloatMap.of(N, N, doubled))));
        assertEquals("doubled: row 3, column 7 (cell 31 of 8x8) = " + Float.toString(2 * (3 - 0.25f * 7)), editor.readout());

        editor.setMarkers(List.of(new MapCell(1, 1)));
        assertEquals(List.of(new MapCell(1, 1)), editor.markers());

        // the panel's context menu: colormap and range, checked at the current ones; choosing one updates the controls too
        Menu menu = editor.panel(0).getMenu();
        menu.notifyListeners(SWT.Show, new Event());
        Menu colormaps = menu.getItem(0).getMenu();
        assertTrue(colormaps.getItem(Colormap.VIRIDIS.ordinal()).getSelection());
        MenuItem gray = colormaps.getItem(Colormap.GRAY.ordinal());
        gray.setSelection(true);
        gray.notifyListeners(SWT.Selection, new Event());
        assertEquals(Colormap.GRAY, editor.settings().colormap());
        assertEquals("gray", colormap.getText());
        MenuItem auto = menu.getItem(1).getMenu().getItem(RangeMode.AUTO.ordinal());
        auto.setSelection(true);
        auto.notifyListeners(SWT.Selection, new Event());
        assertEquals(RangeMode.AUTO, editor.settings().range());
        assertEquals("auto", range.getText());
        assertEquals(-3.5, editor.styleOf(0).min(), "the doubled map's own minimum");
    }

    @Test
    void severalMapsSideBySideAndAStripForABatchThenExportWhatIsShown() throws Exception {
        RasterImage image = board();
        float[] a = ramp();
        float[] b = new float[N * N];
        b[3 * N + 4] = 1;
        OverlayEditor editor = standalone(new OverlaySettings(Colormap.INFERNO, 0.6, RangeMode.AUTO, 0, 1));
        List<Integer> picked = new ArrayList<>();
        editor.onStripSelected(picked::add);
        editor.setStrip(List.of(image, image, image), List.of("first", "second", "third"));
        editor.setMaps(image, List.of(new LabelledMap("Saliency", FloatMap.of(N, N, a)), new LabelledMap("Occlusion", FloatMap.of(N, N, b))));
        waitUntil(() -> true, "painting");
        assertEquals(3, editor.strip().size());
        assertEquals(0, editor.stripSelection());
        Point third = editor.strip().centreOf(2);
        send(editor.strip(), SWT.MouseUp, third.x, third.y);
        assertEquals(List.of(2), picked);
        assertEquals(2, editor.stripSelection());
        key(editor.strip(), SWT.ARROW_LEFT);
        key(editor.strip(), SWT.ARROW_RIGHT);
        key(editor.strip(), SWT.ARROW_RIGHT);
        assertEquals(List.of(2, 1, 2), picked, "the keys move along the strip and stop at its end");
        // each map its own auto range: the second's colour at its one hot cell is the colormap's last colour
        assertEquals(blend(Colormap.INFERNO.rgb(1), image.pixel(4, 3), 0.6), editor.shown(1).pixel(4, 3));
        assertEquals(blend(Colormap.INFERNO.rgb(0), image.pixel(0, 0), 0.6), editor.shown(1).pixel(0, 0));
        Point hot = editor.centreOf(1, new MapCell(3, 4));
        send(editor.panel(1), SWT.MouseMove, hot.x, hot.y);
        assertEquals("Occlusion: row 3, column 4 (cell 28 of 8x8) = 1.0", editor.readout());
        Path shot = ResultViewsTest.screenshotOf(shell, "overlay-editor-side-by-side");
        assertTrue(Files.size(shot) > 0);

        Path dir = Path.of(System.getProperty("loupe.test.work", System.getProperty("java.io.tmpdir")), "overlay-export-" + System.nanoTime());
        assertEquals(IStatus.OK, waitForJob(editor.export(dir)).getSeverity());
        List<String> names;
        try (var files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("01-saliency-map.png", "01-saliency-overlay.png", "01-saliency.csv", "01-saliency.npy",
                "02-occlusion-map.png", "02-occlusion-overlay.png", "02-occlusion.csv", "02-occlusion.npy"), names);
        try (var in = Files.newInputStream(dir.resolve("01-saliency.npy"))) {
            assertEquals(FloatMap.of(N, N, a), FloatMap.readNpy(in));
        }
        List<String> csv = Files.readAllLines(dir.resolve("02-occlusion.csv"));
        assertEquals(1 + N * N, csv.size());
        assertEquals("0,3,4,1.0", csv.get(1 + 3 * N + 4));
        // the 8-pixel map alone is enlarged 32x to 256 pixels: its hot cell in the colormap's last colour, no image under it
        BufferedImage alone = ImageIO.read(dir.resolve("02-occlusion-map.png").toFile());
        assertEquals(256 + 16, alone.getHeight());
        assertEquals(Colormap.INFERNO.rgb(1), alone.getRGB(8 + 4 * 32 + 16, 8 + 3 * 32 + 16) & 0xFFFFFF);
        assertEquals(Colormap.INFERNO.rgb(0), alone.getRGB(8 + 16, 8 + 16) & 0xFFFFFF);
        BufferedImage over = ImageIO.read(dir.resolve("02-occlusion-overlay.png").toFile());
        assertEquals(blend(Colormap.INFERNO.rgb(1), image.pixel(4, 3), 0.6), over.getRGB(8 + 4 * 32 + 16, 8 + 3 * 32 + 16) & 0xFFFFFF);
        // a second export into the same folder overwrites nothing and says so
        assertEquals(IStatus.ERROR, waitForJob(editor.export(dir)).getSeverity());
        waitUntil(() -> editor.readout().startsWith("Not exported"), "the readout to say why");
        assertTrue(editor.readout().contains("already exists"), editor.readout());
    }

    @Test
    void heatMapResultsOpenInTheOverlayEditorSideBySideOrAsAStrip() throws Exception {
        Session session = Session.get();
        WorkbenchTest.openTestModel(session);
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.closeAllEditors(false);
        RasterImage image = board();
        int[] other = new int[N * N];
        java.util.Arrays.fill(other, 0x2060A0);
        RasterImage second = new RasterImage(N, N, other);
        float[] a = ramp();
        float[] twoChannels = new float[2 * N * N];
        twoChannels[N * N + 7] = 1;
        twoChannels[0] = 1;
        OverlayStyle style = new OverlayStyle(Colormap.INFERNO, 0, 1, 0.5);
        Result result = new CompositeResult("Maps", List.of(new TextResult("Note", "three maps"),
                new HeatMapResult("Method A", FloatMap.of(N, N, a), image, new OverlayStyle(Colormap.DIVERGING, -2, 7, 0.5), "a"),
                new HeatMapResult("Method B", new FloatMap(new int[] {2, N, N}, twoChannels), image, style, "b"),
                new HeatMapResult("Method A on the blue image", FloatMap.of(N, N, a), second, style, "blue")));
        Run run = session.store().save(new Provenance("org.loupe.ui.tests.saved", "Saved (test)", session.model().orElseThrow().info(),
                Selection.NONE, Map.of(), 0, "0.1.0", Instant.now(), 1), result);
        ResultEditor view = (ResultEditor) page.openEditor(new RunEditorInput(run.id(), session.store().root(), "Maps"), ResultEditor.ID);
        waitUntil(() -> !collect(view.content(), OverlayEditor.class).isEmpty(), "the overlay editor");
        List<OverlayEditor> editors = collect(view.content(), OverlayEditor.class);
        assertEquals(1, editors.size(), "the three heat maps share one editor");
        OverlayEditor editor = editors.get(0);
        assertEquals(2, editor.strip().size(), "two images");
        assertEquals(List.of("Method A", "Method B"), editor.maps().stream().map(LabelledMap::label).toList());
        assertEquals(RangeMode.AUTO, editor.settings().range(), "the stored ranges differ: each map its own");
        assertEquals(Colormap.DIVERGING, editor.settings().colormap(), "the first map's colormap");
        // the channel selector shows channel 1 of the two-channel map
        Spinner channel = collect(editor, Spinner.class).get(0);
        channel.setSelection(1);
        channel.notifyListeners(SWT.Selection, new Event());
        assertEquals(1, editor.maps().get(1).channel());
        assertEquals(0, editor.maps().get(0).channel(), "a one-channel map stays at its channel");
        assertEquals(blend(Colormap.DIVERGING.rgb(1), image.pixel(7, 0), 0.5), editor.shown(1).pixel(7, 0));
        ResultViewsTest.screenshot("heatmaps-in-overlay-editor");

        Point blue = editor.strip().centreOf(1);
        send(editor.strip(), SWT.MouseUp, blue.x, blue.y);
        assertEquals(List.of("blue"), editor.maps().stream().map(LabelledMap::label).toList(), "a lone map is captioned by its caption");
        assertEquals(second, editor.image());
        assertEquals(blend(Colormap.DIVERGING.rgb(0), second.pixel(7, 0), 0.5), editor.shown(0).pixel(7, 0), "auto range: the minimum (-1.75) is at (0, 7)");
        assertTrue(reported.isEmpty(), reported.toString());
    }
}

package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.ui.tests.WorkbenchTest.collect;
import static org.loupe.ui.tests.WorkbenchTest.waitUntil;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loupe.analysis.attention.AttentionResult;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Method;
import org.loupe.analysis.attention.Rollout;
import org.loupe.analysis.attention.ui.internal.AttentionView;
import org.loupe.core.analysis.Selection;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisJob;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.editors.RunEditorInput;
import org.loupe.ui.internal.views.AnalysesView;
import org.loupe.ui.overlay.LabelledMap;
import org.loupe.ui.overlay.MapCell;

/**
 * The attention editor's wiring on a hand-made attention whose maps are known in closed form: a class
 * token and a 2 x 3 patch grid, two layers of two heads; head 0 sends every token to one patch, head 1
 * is the identity (every token attends to itself).
 */
class AttentionEditorTest {

    private static final TokenLayout LAYOUT = TokenLayout.classTokenAndGrid(2, 3);
    private static final int T = 7;
    private final List<IStatus> reported = new ArrayList<>();
    private IWorkbenchPage page;

    @BeforeEach
    void workbench() {
        Session.get().setErrorReporter(reported::add);
        WorkbenchTest.openTestModel(Session.get());
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        page.closeAllEditors(false);
    }

    /** Two layers: head 0 of each sends every token to {@code target}, head 1 is the identity. */
    private static AttentionStack stack(int target) {
        float[] p = new float[2 * 2 * T * T];
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < T; i++) {
                p[((l * 2) * T + i) * T + target] = 1;
                p[((l * 2 + 1) * T + i) * T + i] = 1;
            }
        }
        return new AttentionStack(LAYOUT, List.of("blocks.0.attn.probs", "blocks.1.attn.probs"), 2, T, p, null);
    }

    private static RasterImage image(int rgb) {
        int[] px = new int[48 * 32];
        java.util.Arrays.fill(px, rgb);
        return new RasterImage(48, 32, px);
    }

    /** The 2 x 3 map that is 1 at (row, col) and 0 elsewhere. */
    private static FloatMap oneHot(int row, int col) {
        float[] v = new float[6];
        v[row * 3 + col] = 1;
        return FloatMap.of(2, 3, v);
    }

    private static FloatMap plane(LabelledMap m) {
        return m.plane();
    }

    private AttentionView open(AttentionResult r) throws Exception {
        Session session = Session.get();
        Run run = session.store().save(new Provenance("org.loupe.ui.tests.saved", "Saved (test)", session.model().orElseThrow().info(),
                Selection.NONE, Map.of(), 0, "0.1.0", Instant.now(), 1), r);
        ResultEditor editor = (ResultEditor) page.openEditor(new RunEditorInput(run.id(), session.store().root(), r.title()), ResultEditor.ID);
        waitUntil(() -> !collect(editor.content(), AttentionView.class).isEmpty(), "the attention editor");
        AttentionView view = collect(editor.content(), AttentionView.class).get(0);
        waitUntil(view::upToDate, "the first maps");
        return view;
    }

    private static void click(org.eclipse.swt.widgets.Control c, Point at) {
        Event e = new Event();
        e.x = at.x;
        e.y = at.y;
        e.button = 1;
        c.notifyListeners(SWT.MouseUp, e);
    }

    private static void settle(AttentionView view) {
        waitUntil(view::upToDate, "the maps of " + view.choice());
    }

    @Test
    void selectorsRecomputeTheMapsAndAPatchClickShowsItsRowAndColumn() throws Exception {
        AttentionStack first = stack(LAYOUT.patchToken(1, 2));
        AttentionStack second = stack(LAYOUT.patchToken(0, 0));
        AttentionResult r = new AttentionResult("Attention (test)", List.of(image(0x808080), image(0x4060A0)), List.of(first, second),
                List.of(3, 5), List.of("cat 0.9", "dog 0.8"), Method.RAW, Fusion.MEAN, 0, 0, 1, 0, -1);
        AttentionView view = open(r);

        // raw attention of layer 1, head 0, from the class token: all of it on patch (1, 2)
        assertEquals(1, view.editor().maps().size());
        assertEquals(oneHot(1, 2), plane(view.editor().maps().get(0)));
        assertEquals(List.of(), view.editor().markers());
        // the head grid: head 0 the same, head 1 (the identity) puts nothing on the patches from the class token
        assertEquals(2, view.headMaps().size());
        assertEquals(oneHot(1, 2), view.headMaps().get(0));
        assertEquals(FloatMap.of(2, 3, new float[6]), view.headMaps().get(1));

        // rollout, mean fusion, no discard: the fused layer is ((J + I) / 2 + I) normalised = 3/4 I + 1/4 J (J: all to patch (1, 2)),
        // so the class token's row after two layers is 9/16 on itself and 7/16 on the patch: the map is one-hot there
        view.choose("Method", "rollout");
        settle(view);
        assertEquals(oneHot(1, 2), plane(view.editor().maps().get(0)));
        // every selector reaches Rollout: max fusion, discard 0.5 from layer 1
        view.choose("Fusion", "max");
        view.choose("Discard", "0.5");
        view.choose("Start layer", "1");
        settle(view);
        assertEquals(FloatMap.of(2, 3, Rollout.rollout(first, Fusion.MAX, 0.5, 1, -1)), plane(view.editor().maps().get(0)));
        assertTrue(view.editor().maps().get(0).label().startsWith("rollout (max fusion, discard 0.50, layers 1..)"),
                view.editor().maps().get(0).label());

        // click patch (0, 1): it becomes the query token; beside the map, where it attends (mean of heads: itself and patch (1, 2))
        // and what attends to it (only itself, through the identity head)
        click(view.editor().panel(0), view.editor().centreOf(0, new MapCell(0, 1)));
        assertEquals(LAYOUT.patchToken(0, 1), view.choice().token());
        view.choose("Head", "mean");
        settle(view);
        List<LabelledMap> maps = view.editor().maps();
        assertEquals(3, maps.size());
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, plane(maps.get(1)).values());
        assertEquals(oneHot(0, 1), plane(maps.get(2)));
        assertEquals("where patch (0, 1) attends, layer 1, mean of heads", maps.get(1).label());
        assertEquals("what attends to patch (0, 1), layer 1, mean of heads", maps.get(2).label());
        assertEquals(List.of(new MapCell(0, 1)), view.editor().markers());
        // the head grid follows the token: head 0 to patch (1, 2), head 1 to itself
        assertEquals(oneHot(1, 2), view.headMaps().get(0));
        assertEquals(oneHot(0, 1), view.headMaps().get(1));
        ResultViewsTest.screenshot("attention-editor-hand-made");

        // a head of the grid clicked: raw attention of that head
        click(view.heads(), view.heads().centreOf(1));
        settle(view);
        assertEquals(Method.RAW, view.choice().method());
        assertEquals(1, view.choice().head());
        assertEquals(oneHot(0, 1), plane(view.editor().maps().get(0)));

        // the second image of the batch: head 0 of its attention points at patch (0, 0)
        click(view.editor().strip(), view.editor().strip().centreOf(1));
        view.choose("Head", "0");
        view.choose("Token", "-1");
        settle(view);
        assertEquals(1, view.choice().image());
        assertEquals(oneHot(0, 0), plane(view.editor().maps().get(0)));
        assertEquals(image(0x4060A0), view.editor().image());
        assertTrue(view.status().contains("dog 0.8"), view.status());

        // gradient rollout needs gradients this attention does not have: the editor says so and keeps the last maps
        view.choose("Method", "grad-rollout");
        settle(view);
        assertTrue(view.status().contains("needs the gradients of the attention"), view.status());
        assertEquals(oneHot(0, 0), plane(view.editor().maps().get(0)));
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void theDemoVitsRolloutFromTheAnalysesViewOpensInTheAttentionEditor() throws Exception {
        Session session = Session.get();
        WorkbenchTest.waitForJob(session.openModel("demo-vit"));
        try {
            AnalysesView av = (AnalysesView) page.showView(AnalysesView.ID);
            av.select(null);
            av.choose(session.registry().requireAnalysis("org.loupe.analysis.attention.rollout"));
            av.setImages("loupe-shapes:split=test,count=4");
            AnalysisJob job = av.run();
            assertEquals(IStatus.OK, WorkbenchTest.waitForJob(job).getSeverity(), () -> job.getResult().getMessage());
            Run run = job.run();
            waitUntil(() -> page.getActiveEditor() instanceof ResultEditor e && e.run() != null && e.run().id().equals(run.id()),
                    "the result editor");
            ResultEditor editor = (ResultEditor) page.getActiveEditor();
            waitUntil(() -> !collect(editor.content(), AttentionView.class).isEmpty(), "the attention editor");
            AttentionView view = collect(editor.content(), AttentionView.class).get(0);
            settle(view);
            AttentionResult stored = (AttentionResult) ((CompositeResult) run.result()).parts().stream()
                    .filter(AttentionResult.class::isInstance).findFirst().orElseThrow();
            TokenLayout layout = stored.stacks().get(0).layout();
            // the editor starts where the analysis ended: its map of the first image
            assertEquals(FloatMap.of(layout.rows(), layout.cols(), stored.map(0)), plane(view.editor().maps().get(0)));
            assertEquals(4, view.editor().strip().size());
            assertEquals(stored.stacks().get(0).heads(), view.headMaps().size());

            page.setPartState(page.getReference(editor), IWorkbenchPage.STATE_MAXIMIZED);
            scrollTo(editor, view);
            ResultViewsTest.screenshot("attention-editor-demo-vit");

            // click the patch under the map's maximum: it becomes the query token; its row and column appear beside
            float[] main = plane(view.editor().maps().get(0)).values();
            int best = 0;
            for (int i = 1; i < main.length; i++) {
                best = main[i] > main[best] ? i : best;
            }
            MapCell peak = new MapCell(best / layout.cols(), best % layout.cols());
            click(view.editor().panel(0), view.editor().centreOf(0, peak));
            settle(view);
            assertEquals(layout.patchToken(peak.row(), peak.col()), view.choice().token());
            assertEquals(3, view.editor().maps().size());
            assertEquals(FloatMap.of(layout.rows(), layout.cols(), Rollout.attendedBy(stored.stacks().get(0), view.choice().layer(),
                    view.choice().head(), view.choice().token())), plane(view.editor().maps().get(2)));
            scrollTo(editor, view);
            ResultViewsTest.screenshot("attention-editor-demo-vit-token");
            scrollTo(editor, view.heads());
            ResultViewsTest.screenshot("attention-editor-demo-vit-heads");
            page.setPartState(page.getReference(editor), IWorkbenchPage.STATE_RESTORED);
            assertTrue(reported.isEmpty(), reported.toString());
        } finally {
            WorkbenchTest.openTestModel(session);
        }
    }

    private static void scrollTo(ResultEditor editor, org.eclipse.swt.widgets.Control c) {
        waitUntil(() -> true, "layout");
        Point at = c.getDisplay().map(c, editor.content(), 0, 0);
        ((org.eclipse.swt.custom.ScrolledComposite) editor.content().getParent()).setOrigin(0, Math.max(0, at.y - 40));
    }
}

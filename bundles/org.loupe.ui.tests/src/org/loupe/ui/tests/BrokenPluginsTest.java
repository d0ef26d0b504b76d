package org.loupe.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisJob;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.views.AnalysesView;

/**
 * The deliberately broken plug-ins (examples/broken) in the running workbench: each failure is
 * shown naming the plug-in, a hanging analysis is abandoned after the grace period (2 s here), and
 * the workbench keeps responding and running the other analyses.
 */
class BrokenPluginsTest {

    private static final String PLUGIN = "plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken)";

    private IWorkbenchPage page;
    private Session session;
    private final List<IStatus> reported = new ArrayList<>();

    @BeforeEach
    void workbench() {
        assertNotNull(Display.getCurrent(), "tests run on the UI thread");
        page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        session = Session.get();
        session.setErrorReporter(reported::add);
        WorkbenchTest.openTestModel(session);
    }

    private AnalysesView wholeModel() throws Exception {
        AnalysesView av = (AnalysesView) page.showView(AnalysesView.ID);
        av.select(null);
        return av;
    }

    @Test
    void brokenPluginsAreShownWithTheirReasonAndTheRestAreOffered() throws Exception {
        AnalysesView av = wholeModel();
        AnalysisDescriptor ctor = session.registry().requireAnalysis("org.loupe.test.broken.throwsInConstructor");
        assertTrue(av.offered().contains(ctor));
        String why = av.unavailableReason(ctor);
        assertNotNull(why, "greyed out");
        assertTrue(why.contains("is unavailable: Plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken) failed when Loupe created its "
                + "analysis 'Throws in its constructor'") && why.contains("the fixture's constructor always fails"), why);
        assertNull(av.unavailableReason(session.registry().requireAnalysis("org.loupe.analysis.prediction")), "the others still run");
        assertTrue(WorkbenchTest.labels(av).contains("Plug-ins with problems (what they declare is not offered):"));
        List<String> details = WorkbenchTest.collect(av.getSite().getShell(), Text.class).stream().map(Text::getText)
                .filter(t -> t.contains("plugin.xml")).toList();
        assertEquals(1, details.size(), details.toString());
        assertTrue(details.get(0).contains("plug-in 'Unreadable plugin.xml (test fixture)' (org.loupe.test.broken.xml): its plugin.xml could "
                + "not be read") && details.get(0).contains(PLUGIN + ": its analysis 'org.loupe.test.broken.noClass' names no class"),
                details.get(0));
        av.choose(ctor);
        ResultViewsTest.screenshot("broken-plugins-listed");
    }

    @Test
    void anAnalysisThatThrowsIsReportedNamingItsPlugin() throws Exception {
        AnalysesView av = wholeModel();
        av.choose(session.registry().requireAnalysis("org.loupe.test.broken.throwsInRun"));
        av.setParameter("kind", "linkage");
        AnalysisJob job = av.run();
        assertNotNull(job);
        IStatus result = WorkbenchTest.waitForJob(job);
        assertEquals(IStatus.ERROR, result.getSeverity());
        String expected = "Plug-in 'Broken analyses (test fixture)' (org.loupe.test.broken) failed when its analysis 'Throws in run' ran: "
                + "a class it needs is missing: org.loupe.test.broken.Gone.";
        assertEquals(expected, result.getMessage());
        WorkbenchTest.waitUntil(() -> WorkbenchTest.labels(av).contains("Throws in run failed: " + expected), "the status under Run");
        assertTrue(reported.stream().anyMatch(s -> s.getMessage().contains(expected)), "the error dialog: " + reported);
        ResultViewsTest.screenshot("broken-plugin-throws");
        stillWorks(av);
    }

    @Test
    void aHangingAnalysisIsAbandonedAfterCancelAndTheGracePeriod() throws Exception {
        AnalysesView av = wholeModel();
        av.choose(session.registry().requireAnalysis("org.loupe.test.broken.hangs"));
        av.setParameter("how", "sleep");
        AnalysisJob job = av.run();
        assertNotNull(job);
        WorkbenchTest.waitUntil(() -> job.getState() == Job.RUNNING, "the job to run");
        av.cancel();
        // the UI thread keeps dispatching while the job waits out the grace period
        int[] ticks = {0};
        Display.getCurrent().timerExec(100, () -> ticks[0]++);
        IStatus result = WorkbenchTest.waitForJob(job);
        assertTrue(ticks[0] > 0, "the workbench responded while the plug-in hung");
        assertEquals(IStatus.CANCEL, result.getSeverity());
        String expected = "cancelled; " + PLUGIN + " did not stop within 2 s and was abandoned (restart Loupe to reclaim its thread)";
        assertEquals(expected, result.getMessage());
        WorkbenchTest.waitUntil(() -> WorkbenchTest.labels(av).contains("Never returns: " + expected + "; nothing was saved."),
                "the status under Run");
        ResultViewsTest.screenshot("broken-plugin-abandoned");
        stillWorks(av);
    }

    @Test
    void viewsThatFailAreReplacedByANoteNamingTheirPluginAndTheRestOfTheResultShows() throws Exception {
        AnalysesView av = wholeModel();
        av.choose(session.registry().requireAnalysis("org.loupe.test.broken.undrawable"));
        AnalysisJob job = av.run();
        assertNotNull(job);
        assertEquals(IStatus.OK, WorkbenchTest.waitForJob(job).getSeverity(), () -> job.getResult().getMessage());
        Run run = job.run();
        WorkbenchTest.waitUntil(() -> page.getActiveEditor() instanceof ResultEditor e && e.run() != null && e.run().id().equals(run.id()),
                "the result editor");
        ResultEditor editor = (ResultEditor) page.getActiveEditor();
        String views = "plug-in 'Broken result views (test fixture)' (org.loupe.test.broken.ui)";
        WorkbenchTest.waitUntil(() -> texts(editor).contains("Still shown"), "the parts in the editor");
        List<String> texts = texts(editor);
        assertTrue(texts.contains("P" + views.substring(1) + " failed when it showed Drawn by a view that throws: "
                + "the fixture's view always fails to draw. The run itself is intact; export it as JSON."), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("P" + views.substring(1) + " failed when Loupe created its view of Drawn by a view "
                + "that cannot be created (class org.loupe.test.broken.ui.ThrowsInConstructor): ")
                && t.contains("the fixture's view cannot be created")), texts.toString());
        assertFalse(texts.contains("half drawn"), "what the failing view drew before it threw is removed");
        assertTrue(WorkbenchTest.collect(editor.content(), Text.class).stream().anyMatch(t -> t.getText().equals("Loupe's own view of this part works.")),
                "the text part, drawn by Loupe's own view");
        assertTrue(reported.isEmpty(), "no error dialog for a view: " + reported);
        ResultViewsTest.screenshot("broken-result-views");
        stillWorks(av);
    }

    /** The labels of the result editor. */
    private static List<String> texts(ResultEditor editor) {
        return WorkbenchTest.collect(editor.content(), Label.class).stream().map(Label::getText).toList();
    }

    /** The prediction analysis still runs to the end on the same model. */
    private void stillWorks(AnalysesView av) throws Exception {
        av.choose(session.registry().requireAnalysis("org.loupe.analysis.prediction"));
        av.setImages("noise:count=2,size=32");
        AnalysisJob ok = av.run();
        assertNotNull(ok, () -> WorkbenchTest.labels(av).toString());
        assertEquals(IStatus.OK, WorkbenchTest.waitForJob(ok).getSeverity(), () -> ok.getResult().getMessage());
        assertNotNull(ok.run());
    }
}

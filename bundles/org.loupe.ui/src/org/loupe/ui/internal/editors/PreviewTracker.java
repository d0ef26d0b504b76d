package org.loupe.ui.internal.editors;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.loupe.core.result.Result;
import org.loupe.core.run.AnalysisJob;

/**
 * Shows the partial results of every running analysis job live: the first one a job publishes opens
 * a preview in the result editor, later ones replace it (at most one redraw queued at a time, the
 * newest result wins), and the preview closes when the job ends (the stored run opens as usual).
 */
public final class PreviewTracker extends JobChangeAdapter {

    /** Starts following analysis jobs (once, when the workbench starts). */
    public static PreviewTracker install() {
        PreviewTracker t = new PreviewTracker();
        Job.getJobManager().addJobChangeListener(t);
        return t;
    }

    /** Stops following. */
    public void uninstall() {
        Job.getJobManager().removeJobChangeListener(this);
    }

    @Override
    public void aboutToRun(IJobChangeEvent event) {
        if (event.getJob() instanceof AnalysisJob job) {
            AtomicReference<Result> latest = new AtomicReference<>();
            AtomicBoolean queued = new AtomicBoolean();
            job.addPartialListener(partial -> {
                latest.set(partial);
                if (PlatformUI.isWorkbenchRunning() && queued.compareAndSet(false, true)) {
                    PlatformUI.getWorkbench().getDisplay().asyncExec(() -> {
                        queued.set(false);
                        if (job.getResult() == null) {
                            show(job, latest.get());
                        }
                    });
                }
            });
        }
    }

    @Override
    public void done(IJobChangeEvent event) {
        if (event.getJob() instanceof AnalysisJob job && PlatformUI.isWorkbenchRunning()) {
            PlatformUI.getWorkbench().getDisplay().asyncExec(() -> {
                IWorkbenchPage page = page();
                IEditorPart e = page == null ? null : page.findEditor(new PreviewEditorInput(job));
                if (e != null) {
                    page.closeEditor(e, false);
                }
            });
        }
    }

    private static void show(AnalysisJob job, Result partial) {
        IWorkbenchPage page = page();
        if (page == null) {
            return;
        }
        PreviewEditorInput input = new PreviewEditorInput(job);
        try {
            IEditorPart e = page.findEditor(input);
            if (e == null) {
                e = page.openEditor(input, ResultEditor.ID, false);
            }
            if (e instanceof ResultEditor editor) {
                editor.showPreview(partial, job.request().model().info());
            }
        } catch (PartInitException ex) {
            // a preview that cannot open is not worth a dialog: the stored run opens when the job ends
        }
    }

    private static IWorkbenchPage page() {
        var w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        if (w == null && PlatformUI.getWorkbench().getWorkbenchWindowCount() > 0) {
            w = PlatformUI.getWorkbench().getWorkbenchWindows()[0];
        }
        return w == null ? null : w.getActivePage();
    }
}

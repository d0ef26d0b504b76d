package org.loupe.core.run;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.result.Run;

/**
 * An analysis run as an Eclipse job: in the background, with progress and cancel. When it ends the
 * result is in the run store (listeners of the store hear of it) and {@link #run()} returns it; a
 * failure becomes an error status whose message says what went wrong (and names the plug-in if
 * its code failed). Cancelled, it ends with a cancel status; one whose analysis did not stop
 * within the grace period carries the message saying it was abandoned.
 *
 * @since 0.1
 */
public final class AnalysisJob extends Job {

    /** The plug-in id used in statuses. */
    public static final String PLUGIN_ID = "org.loupe.core";

    private final AnalysisRunner runner;
    private final AnalysisRequest request;
    private volatile Run run;
    private final java.util.List<java.util.function.Consumer<org.loupe.core.result.Result>> partialListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A job that runs {@code request} with {@code runner}. */
    public AnalysisJob(String name, AnalysisRunner runner, AnalysisRequest request) {
        super(name);
        this.runner = runner;
        this.request = request;
    }

    /** The stored run, once the job has finished successfully; else null. */
    public Run run() {
        return run;
    }

    /**
     * Tells {@code listener} about each partial result the analysis publishes while it runs (on the
     * analysis' own thread; a view hops to the UI thread itself).
     */
    public void addPartialListener(java.util.function.Consumer<org.loupe.core.result.Result> listener) {
        partialListeners.add(listener);
    }

    /** The request this job runs. */
    public AnalysisRequest request() {
        return request;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        try {
            run = runner.run(request, monitor, partial -> partialListeners.forEach(l -> l.accept(partial)));
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (RunAbandonedException e) {
            return new Status(IStatus.CANCEL, PLUGIN_ID, e.getMessage());
        } catch (AnalysisException e) {
            return Status.error(e.getMessage(), e.getCause());
        } catch (RuntimeException | LinkageError e) {
            return Status.error(getName() + " failed: " + e, e);
        } finally {
            monitor.done();
        }
    }
}

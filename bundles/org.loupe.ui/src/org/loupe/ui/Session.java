package org.loupe.ui;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.ui.progress.IProgressConstants;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.RunStore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * The workbench's shared state, registered as an OSGi service by the UI bundle: the open model, the
 * run store and the analysis runner, and the listeners that views use to follow them. Listeners are
 * called on whatever thread made the change (usually a job); views hop to the UI thread themselves.
 *
 * <p>A model is never closed under a running analysis: jobs started with {@link #schedule} hold the
 * model they run on, and a model that was replaced while such jobs ran is closed when the last of
 * them ends (they keep running on it; their view tells the user and offers Cancel).
 *
 * @since 0.1
 */
public final class Session {

    private final LoupeRegistry registry;
    private volatile RunStore store;
    private volatile HookedModel model;
    private final List<Consumer<HookedModel>> modelListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RunStore>> storeListeners = new CopyOnWriteArrayList<>();
    private volatile Consumer<IStatus> errorReporter;
    /** The jobs running on each model that is in use (guarded by {@code this}). */
    private final Map<HookedModel, List<Job>> inUse = new IdentityHashMap<>();

    /** A session over {@code registry} saving into {@code store}; errors go to {@code errorReporter}. */
    public Session(LoupeRegistry registry, RunStore store, Consumer<IStatus> errorReporter) {
        this.registry = registry;
        this.store = store;
        this.errorReporter = errorReporter;
    }

    /** The session of the running workbench. */
    public static Session get() {
        Bundle b = FrameworkUtil.getBundle(Session.class);
        BundleContext ctx = b == null ? null : b.getBundleContext();
        ServiceReference<Session> ref = ctx == null ? null : ctx.getServiceReference(Session.class);
        if (ref == null) {
            throw new IllegalStateException("the Loupe UI bundle is not started");
        }
        return ctx.getService(ref);
    }

    /** The extension registry view. */
    public LoupeRegistry registry() {
        return registry;
    }

    /** The run store results go to. */
    public RunStore store() {
        return store;
    }

    /** Moves the run store (preference change); views listening for it reload. */
    public void setStore(RunStore newStore) {
        store = newStore;
        storeListeners.forEach(l -> l.accept(newStore));
    }

    /** A runner that saves into the current store. */
    public AnalysisRunner runner() {
        return new AnalysisRunner(registry, store);
    }

    /** The open model, if any. */
    public Optional<HookedModel> model() {
        return Optional.ofNullable(model);
    }

    /**
     * Makes {@code newModel} the open model. The previous one is closed now if no analysis runs on
     * it, else when the last analysis running on it ends.
     */
    public void setModel(HookedModel newModel) {
        HookedModel unused = replaceModel(newModel);
        modelListeners.forEach(l -> l.accept(newModel));
        if (unused != null) {
            unused.close();
        }
    }

    /** Makes {@code newModel} the open model; returns the previous one if it is now unused (to close), else null. */
    private synchronized HookedModel replaceModel(HookedModel newModel) {
        HookedModel old = model;
        model = newModel;
        return old != null && old != newModel && !inUse.containsKey(old) ? old : null;
    }

    /**
     * Schedules an analysis job as a user job: its model stays open until it ends (even if another
     * model is opened meanwhile), and a failure is reported once (see {@link #reportFailures}).
     * Returns false, scheduling nothing, if the job's model was replaced (and closed) before this
     * call: the caller tells the user to run it again.
     */
    public boolean schedule(AnalysisJob job) {
        HookedModel m = job.request().model();
        synchronized (this) {
            if (m != model && !inUse.containsKey(m)) {
                return false;
            }
            inUse.computeIfAbsent(m, k -> new ArrayList<>()).add(job);
        }
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                release(m, job);
            }
        });
        job.setUser(true);
        reportFailures(job);
        job.schedule();
        return true;
    }

    /** The analysis jobs still running (or waiting to run) on {@code m}. */
    public synchronized List<Job> jobsUsing(HookedModel m) {
        return List.copyOf(inUse.getOrDefault(m, List.of()));
    }

    private void release(HookedModel m, Job job) {
        boolean close;
        synchronized (this) {
            List<Job> jobs = inUse.get(m);
            jobs.remove(job);
            if (jobs.isEmpty()) {
                inUse.remove(m);
            }
            close = jobs.isEmpty() && m != model;
        }
        if (close) {
            m.close();
        }
    }

    /** Tells {@code l} about each newly opened model. */
    public void addModelListener(Consumer<HookedModel> l) {
        modelListeners.add(l);
    }

    /** Stops telling {@code l}. */
    public void removeModelListener(Consumer<HookedModel> l) {
        modelListeners.remove(l);
    }

    /** Tells {@code l} when the run store moves. */
    public void addStoreListener(Consumer<RunStore> l) {
        storeListeners.add(l);
    }

    /** Stops telling {@code l}. */
    public void removeStoreListener(Consumer<RunStore> l) {
        storeListeners.remove(l);
    }

    /** Replaces where errors are reported (tests record them instead of opening dialogs). */
    public void setErrorReporter(Consumer<IStatus> reporter) {
        errorReporter = reporter;
    }

    /** Reports an error to the user. */
    public void reportError(IStatus status) {
        errorReporter.accept(status);
    }

    /**
     * Opens a model (built-in id or path) in a background job with progress; on success it becomes
     * the open model, on failure the user sees why. Returns the scheduled job.
     */
    public Job openModel(String spec) {
        Job job = Job.create("Opening model " + spec, monitor -> {
            try {
                setModel(registry.openModel(spec, monitor));
                return Status.OK_STATUS;
            } catch (ModelLoadException e) {
                return Status.error("Cannot open model '" + spec + "':\n" + e.getMessage(), e);
            } catch (RuntimeException e) {
                return Status.error("Cannot open model '" + spec + "': " + e.getMessage(), e);
            }
        });
        job.setUser(true);
        reportFailures(job);
        job.schedule();
        return job;
    }

    /**
     * Sends the job's error status, if it ends with one, to the error reporter, and tells the job
     * framework not to show its own "has encountered a problem" dialog for it: one failure, one
     * dialog (the status stays in the Progress view).
     */
    public void reportFailures(Job job) {
        job.setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE);
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                if (event.getResult().getSeverity() == IStatus.ERROR) {
                    reportError(event.getResult());
                }
            }
        });
    }

    /** Closes the open model (models still in use are closed when their jobs end). */
    public void dispose() {
        HookedModel unused = replaceModel(null);
        if (unused != null) {
            unused.close();
        }
    }
}

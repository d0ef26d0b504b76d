package org.loupe.ui.internal.editors;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IPersistableElement;
import org.loupe.core.run.AnalysisJob;

/** The live preview of a running analysis: the partial results its job publishes. Not kept across restarts. */
public final class PreviewEditorInput implements IEditorInput {

    private final AnalysisJob job;

    /** The preview of {@code job}. */
    public PreviewEditorInput(AnalysisJob job) {
        this.job = job;
    }

    /** The running job. */
    public AnalysisJob job() {
        return job;
    }

    @Override
    public boolean exists() {
        return false;
    }

    @Override
    public ImageDescriptor getImageDescriptor() {
        return null;
    }

    @Override
    public String getName() {
        return "Preview: " + job.getName();
    }

    @Override
    public IPersistableElement getPersistable() {
        return null;
    }

    @Override
    public String getToolTipText() {
        return "Live preview of " + job.getName() + " (running)";
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreviewEditorInput p && p.job == job;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(job);
    }
}

package org.loupe.ui.internal.editors;

import java.nio.file.Path;
import java.util.Objects;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IMemento;
import org.eclipse.ui.IPersistableElement;

/** A stored run to show in the result editor: its id and the run store it lives in. */
public final class RunEditorInput implements IEditorInput, IPersistableElement {

    private final String runId;
    private final Path store;
    private final String title;

    /** The run {@code runId} in the store at {@code store}, titled {@code title}. */
    public RunEditorInput(String runId, Path store, String title) {
        this.runId = runId;
        this.store = store;
        this.title = title;
    }

    /** The run's id. */
    public String runId() {
        return runId;
    }

    /** The run store's folder. */
    public Path store() {
        return store;
    }

    @Override
    public boolean exists() {
        return store.resolve(runId).toFile().isDirectory();
    }

    @Override
    public ImageDescriptor getImageDescriptor() {
        return null;
    }

    @Override
    public String getName() {
        return title;
    }

    @Override
    public IPersistableElement getPersistable() {
        return this;
    }

    @Override
    public String getToolTipText() {
        return title + " (" + runId + ")";
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        return null;
    }

    @Override
    public void saveState(IMemento memento) {
        memento.putString("runId", runId);
        memento.putString("store", store.toString());
        memento.putString("title", title);
    }

    @Override
    public String getFactoryId() {
        return RunInputFactory.ID;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunEditorInput r && r.runId.equals(runId) && r.store.equals(store);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, store);
    }
}

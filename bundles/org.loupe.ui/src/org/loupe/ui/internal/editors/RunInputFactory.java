package org.loupe.ui.internal.editors;

import java.nio.file.Path;

import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.ui.IElementFactory;
import org.eclipse.ui.IMemento;

/** Recreates result editors after a restart from their saved run id. */
public class RunInputFactory implements IElementFactory {

    /** The factory's id, as declared in plugin.xml. */
    public static final String ID = "org.loupe.ui.runInputFactory";

    @Override
    public IAdaptable createElement(IMemento memento) {
        String id = memento.getString("runId");
        String store = memento.getString("store");
        if (id == null || store == null) {
            return null;
        }
        RunEditorInput input = new RunEditorInput(id, Path.of(store), memento.getString("title") == null ? id : memento.getString("title"));
        return input.exists() ? input : null;
    }
}

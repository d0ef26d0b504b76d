package org.loupe.ui;

import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.loupe.core.result.Run;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.editors.RunEditorInput;

/**
 * Opens stored runs in the workbench's result editor: for plug-ins that start analyses from their own commands.
 *
 * @since 0.1
 */
public final class RunEditors {

    private RunEditors() {
    }

    /** Opens (or brings to front) the result editor of {@code run}, saved in the session's current store. */
    public static IEditorPart open(IWorkbenchPage page, Run run) throws PartInitException {
        return page.openEditor(new RunEditorInput(run.id(), Session.get().store().root(), run.result().title()), ResultEditor.ID);
    }
}

package org.loupe.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.ui.internal.editors.ResultEditor;

/** File > Export Result... (Ctrl+E): exports the result in the active editor as JSON, PNG and CSV. */
public class ExportResultHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        if (HandlerUtil.getActiveEditor(event) instanceof ResultEditor editor) {
            editor.exportInteractively();
        } else {
            MessageDialog.openInformation(HandlerUtil.getActiveShell(event), "Export Result",
                    "Open a result first (double-click a run in the Runs view), then export it.");
        }
        return null;
    }
}

package org.loupe.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.ui.Session;

/** File > Open Model... (Ctrl+O): a built-in model or a file, opened in the background. */
public class OpenModelHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Session s = Session.get();
        OpenModelDialog d = new OpenModelDialog(HandlerUtil.getActiveShell(event), s.registry().builtinModels(), s.registry().loaders());
        if (d.open() == Window.OK) {
            s.openModel(d.choice());
        }
        return null;
    }
}

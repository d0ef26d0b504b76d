package org.loupe.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.ui.internal.views.AnalysesView;

/** Analysis > Run (Ctrl+R): runs the analysis chosen in the Analyses view. */
public class RunAnalysisHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws org.eclipse.core.commands.ExecutionException {
        try {
            var view = HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage().showView(AnalysesView.ID);
            ((AnalysesView) view).run();
        } catch (PartInitException e) {
            throw new org.eclipse.core.commands.ExecutionException(e.getMessage(), e);
        }
        return null;
    }
}

package org.loupe.ui.internal.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.core.plugins.PluginManager;
import org.loupe.ui.internal.dialogs.PluginsDialog;
import org.loupe.ui.internal.views.AnalysesView;

/** Help > Plugins... (Ctrl+Shift+P): the plug-in manager; after each change the Analyses view reads the analyses again. */
public class PluginsHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchPage page = HandlerUtil.getActiveWorkbenchWindow(event).getActivePage();
        new PluginsDialog(HandlerUtil.getActiveShell(event), PluginManager.forRunningPlatform(), () -> {
            IViewPart view = page == null ? null : page.findView(AnalysesView.ID);
            if (view instanceof AnalysesView analyses) {
                analyses.refresh();
            }
        }).open();
        return null;
    }
}

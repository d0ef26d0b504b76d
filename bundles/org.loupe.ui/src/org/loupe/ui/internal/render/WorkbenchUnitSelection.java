package org.loupe.ui.internal.render;

import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.loupe.core.result.UnitRef;
import org.loupe.ui.Session;
import org.loupe.ui.UnitSelection;
import org.loupe.ui.internal.views.ModelView;

/** Unit selection in a workbench page: shows the Model view and selects the unit there. */
public final class WorkbenchUnitSelection implements UnitSelection {

    private final IWorkbenchPage page;

    /** Selection in {@code page}. */
    public WorkbenchUnitSelection(IWorkbenchPage page) {
        this.page = page;
    }

    @Override
    public boolean select(UnitRef unit) {
        try {
            ModelView view = (ModelView) page.showView(ModelView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
            return view.selectUnit(unit);
        } catch (PartInitException e) {
            Session.get().reportError(e.getStatus());
            return false;
        }
    }
}

package org.loupe.ui.internal;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.loupe.ui.internal.views.AnalysesView;
import org.loupe.ui.internal.views.ModelView;
import org.loupe.ui.internal.views.PredictionView;
import org.loupe.ui.internal.views.RunsView;

/** The Loupe perspective: Model and Runs on the left, results in the middle, Analyses on the right. */
public class Perspective implements IPerspectiveFactory {

    /** The perspective's id. */
    public static final String ID = "org.loupe.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        String editors = layout.getEditorArea();
        layout.setEditorAreaVisible(true);
        IFolderLayout left = layout.createFolder("left", IPageLayout.LEFT, 0.26f, editors);
        left.addView(ModelView.ID);
        IFolderLayout bottomLeft = layout.createFolder("bottomLeft", IPageLayout.BOTTOM, 0.62f, "left");
        bottomLeft.addView(RunsView.ID);
        IFolderLayout right = layout.createFolder("right", IPageLayout.RIGHT, 0.64f, editors);
        right.addView(AnalysesView.ID);
        right.addView(PredictionView.ID);
        layout.getViewLayout(ModelView.ID).setCloseable(false);
        layout.addShowViewShortcut(ModelView.ID);
        layout.addShowViewShortcut(AnalysesView.ID);
        layout.addShowViewShortcut(RunsView.ID);
        layout.addShowViewShortcut(PredictionView.ID);
        layout.addShowViewShortcut(IPageLayout.ID_PROGRESS_VIEW);
    }
}

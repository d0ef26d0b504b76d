package org.loupe.ui;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.Result;

/**
 * Renders one kind of {@link Result} in SWT. Contributed through the extension point
 * {@code org.loupe.ui.resultViews}, which maps a result class to a renderer with a priority; the
 * result editor asks the renderer of each part of a result. A new renderer instance is created for
 * each part it shows, so it may keep state (listeners, SWT resources) until {@link #dispose()}.
 * Renderers only draw: the result is already computed.
 *
 * @since 0.1
 */
public interface ResultRenderer {

    /**
     * Creates the control showing {@code result} in {@code parent}.
     *
     * @param parent  the composite to create the control in (its layout is a one-column GridLayout)
     * @param result  a result of the class the renderer was declared for
     * @param context the run, the model identity, the workbench's unit selection, and nested rendering
     */
    Control render(Composite parent, Result result, RenderContext context);

    /**
     * Called once when the control is gone (the editor closed, or a live preview replaced by a newer
     * one), on the UI thread: release what the control's own dispose listeners do not.
     */
    default void dispose() {
    }
}

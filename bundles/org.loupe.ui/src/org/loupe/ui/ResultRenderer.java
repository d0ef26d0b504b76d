package org.loupe.ui;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.Result;

/**
 * Renders one kind of {@link Result} in SWT. Contributed through the extension point
 * {@code org.loupe.ui.resultViews}, which maps a result class to a renderer; the result editor asks
 * the renderer of each part of a result. Renderers only draw: the result is already computed.
 */
public interface ResultRenderer {

    /**
     * Creates the control showing {@code result} in {@code parent}.
     *
     * @param parent the composite to create the control in (its layout is a one-column GridLayout)
     * @param result a result of the class the renderer was declared for
     */
    Control render(Composite parent, Result result);
}

package org.loupe.test.broken.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** A view that adds a control and then throws, as a buggy view does halfway through drawing. */
public class ThrowsInRender implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        new Label(parent, SWT.NONE).setText("half drawn");
        throw new IllegalStateException("the fixture's view always fails to draw");
    }
}

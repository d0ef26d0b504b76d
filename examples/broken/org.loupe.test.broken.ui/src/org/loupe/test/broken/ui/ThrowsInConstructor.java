package org.loupe.test.broken.ui;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** A view whose class cannot be created. */
public class ThrowsInConstructor implements ResultRenderer {

    /** Always fails. */
    public ThrowsInConstructor() {
        throw new IllegalStateException("the fixture's view cannot be created");
    }

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        throw new AssertionError("never created");
    }
}

package org.loupe.analysis.attention.ui.internal;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.analysis.attention.AttentionResult;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** The view of {@link AttentionResult}s in the result editor: the {@link AttentionView}. */
public class AttentionRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        AttentionView view = new AttentionView(parent, (AttentionResult) result);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(view);
        return view;
    }
}

package org.loupe.ui.internal.render;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** Shows a {@link CompositeResult}'s parts one below the other, each under its title, through their own renderers. */
public class CompositeRenderer implements ResultRenderer {

    /** Data key the result editor sets on its top composite, so that only nested composites are indented. */
    public static final String TOP = "org.loupe.ui.result.top";

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        Composite box = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(parent.getData(TOP) != null ? 0 : 12, 0).spacing(8, 10).applyTo(box);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(box);
        for (Result p : ((CompositeResult) result).parts()) {
            context.renderPart(box, p);
        }
        return box;
    }
}

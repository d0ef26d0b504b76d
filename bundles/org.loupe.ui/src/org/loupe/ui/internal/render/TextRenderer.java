package org.loupe.ui.internal.render;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** Shows a {@link TextResult} as selectable, read-only text. */
public class TextRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        Text text = new Text(parent, SWT.READ_ONLY | SWT.WRAP | SWT.MULTI);
        text.setText(((TextResult) result).text());
        return text;
    }
}

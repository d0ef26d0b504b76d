package org.loupe.ui.internal.render;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** Shows an {@link ImageGridResult} in 128-pixel cells with captions. */
public class ImageGridRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        ImageGridResult r = (ImageGridResult) result;
        return new ImageCanvas(parent, r.images(), r.captions(), r.columns(), 128);
    }
}

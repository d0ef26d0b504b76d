package org.loupe.ui.internal.render;

import java.util.List;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.Result;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** Shows an {@link ImageResult} at least 256 pixels wide. */
public class ImageRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        ImageResult r = (ImageResult) result;
        int cell = Math.max(256, Math.min(512, r.image().width()));
        return new ImageCanvas(parent, List.of(r.image()), List.of(r.caption()), 1, cell);
    }
}

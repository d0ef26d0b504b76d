package org.loupe.ui.internal.render;

import java.util.stream.IntStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.Result;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/** Shows a {@link GalleryResult} in 128-pixel cells labelled with caption, value and unit; clicking an item with a unit selects it. */
public class GalleryRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        GalleryResult g = (GalleryResult) result;
        ImageCanvas canvas = new ImageCanvas(parent, g.items().stream().map(GalleryItem::image).toList(),
                IntStream.range(0, g.items().size()).mapToObj(g::label).toList(), g.columns(), 128);
        canvas.onItemClicked(i -> {
            if (g.items().get(i).unit() != null) {
                context.selection().select(g.items().get(i).unit());
            }
        });
        canvas.addListener(SWT.MouseMove, e -> {
            int i = canvas.itemAt(e.x, e.y);
            GalleryItem it = i < 0 ? null : g.items().get(i);
            canvas.setToolTipText(it == null || it.unit() == null ? null : "Click to select " + it.unit().link() + " in the Model view");
            canvas.setCursor(it == null || it.unit() == null ? null : canvas.getDisplay().getSystemCursor(SWT.CURSOR_HAND));
        });
        return canvas;
    }
}

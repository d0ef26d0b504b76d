package org.loupe.ui.internal.render;

import java.util.stream.IntStream;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.Result;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/**
 * Shows a {@link GalleryResult} in 128-pixel cells labelled with caption, value and unit; clicking an
 * item with a unit selects it. When items carry a detail (a unit's large picture, its objective by
 * step and its parameters), a pane beside the gallery shows the detail of the item last clicked.
 */
public class GalleryRenderer implements ResultRenderer {

    /** Side of a gallery cell. */
    private static final int CELL = 128;
    /** Width of the detail pane. */
    private static final int DETAIL_WIDTH = 420;

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        GalleryResult g = (GalleryResult) result;
        if (!g.hasDetails()) {
            return gallery(parent, g, context);
        }
        Composite row = new Composite(parent, SWT.NONE);
        GridLayout layout = GridLayoutFactory.fillDefaults().numColumns(2).spacing(16, 12).create();
        row.setLayout(layout);
        ImageCanvas canvas = gallery(row, g, context);
        Composite detail = new Composite(row, SWT.NONE);
        canvas.onItemClicked(i -> {
            if (g.items().get(i).detail() != null) {
                show(detail, g.items().get(i), context);
            }
        });
        GridDataFactory.fillDefaults().grab(true, false).minSize(CELL + 8, SWT.DEFAULT).applyTo(canvas);
        GridLayoutFactory.fillDefaults().spacing(6, 6).applyTo(detail);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).hint(DETAIL_WIDTH, SWT.DEFAULT).applyTo(detail);
        Label hint = new Label(detail, SWT.WRAP);
        hint.setText("Click a picture for its large image, its objective by step and its parameters.");
        GridDataFactory.fillDefaults().grab(true, false).hint(DETAIL_WIDTH, SWT.DEFAULT).applyTo(hint);
        // the details sit beside the gallery when at least three columns of pictures still fit, under it otherwise
        row.addListener(SWT.Resize, e -> {
            int columns = row.getClientArea().width >= 3 * (CELL + 8) + 16 + DETAIL_WIDTH ? 2 : 1;
            if (layout.numColumns != columns) {
                layout.numColumns = columns;
                row.getDisplay().asyncExec(() -> {
                    if (!row.isDisposed()) {
                        relayout(row);
                    }
                });
            }
        });
        return row;
    }

    private static ImageCanvas gallery(Composite parent, GalleryResult g, RenderContext context) {
        ImageCanvas canvas = new ImageCanvas(parent, g.items().stream().map(GalleryItem::image).toList(),
                IntStream.range(0, g.items().size()).mapToObj(g::label).toList(), g.columns(), CELL);
        canvas.onItemClicked(i -> {
            if (g.items().get(i).unit() != null) {
                context.selection().select(g.items().get(i).unit());
            }
        });
        canvas.addListener(SWT.MouseMove, e -> {
            int i = canvas.itemAt(e.x, e.y);
            GalleryItem it = i < 0 ? null : g.items().get(i);
            canvas.setToolTipText(it == null ? null : tip(it));
            canvas.setCursor(it == null || tip(it) == null ? null : canvas.getDisplay().getSystemCursor(SWT.CURSOR_HAND));
        });
        return canvas;
    }

    private static String tip(GalleryItem it) {
        if (it.unit() == null) {
            return it.detail() == null ? null : "Click for the details";
        }
        return "Click to select " + it.unit().link() + " in the Model view" + (it.detail() == null ? "" : " and show its details");
    }

    /** Replaces the detail pane's content with {@code item}'s detail and brings it into view. */
    private static void show(Composite pane, GalleryItem item, RenderContext context) {
        for (Control c : pane.getChildren()) {
            c.dispose();
        }
        context.renderPart(pane, item.detail());
        ScrolledComposite scroll = relayout(pane);
        if (scroll != null) {
            scroll.showControl(pane);
        }
    }

    /** Lays out the editor's content again after {@code changed} changed size; returns the editor's scrolled composite, if any. */
    private static ScrolledComposite relayout(Control changed) {
        Composite top = changed instanceof Composite c ? c : changed.getParent();
        while (top.getParent() != null && !(top.getParent() instanceof ScrolledComposite)) {
            top = top.getParent();
        }
        top.layout(true, true);
        if (top.getParent() instanceof ScrolledComposite sc) {
            sc.setMinSize(top.computeSize(Math.max(400, sc.getClientArea().width), SWT.DEFAULT));
            return sc;
        }
        return null;
    }
}

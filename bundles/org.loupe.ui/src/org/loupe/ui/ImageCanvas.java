package org.loupe.ui.internal.render;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.loupe.core.images.RasterImage;
import org.loupe.ui.SwtImages;

/**
 * Draws images in a grid with captions, each scaled to a cell (small images are enlarged with
 * nearest-neighbour sampling so pixels stay visible). Disposes its SWT images with the control.
 */
public final class ImageCanvas extends Canvas {

    private final List<Image> images;
    private final List<String> captions;
    private final int columns;
    private final int cell;

    /** Shows {@code raster} images in {@code columns} columns of {@code cell}-pixel cells with captions. */
    public ImageCanvas(Composite parent, List<RasterImage> raster, List<String> captions, int columns, int cell) {
        super(parent, SWT.DOUBLE_BUFFERED);
        this.images = raster.stream().map(r -> new Image(getDisplay(), SwtImages.toImageData(r))).toList();
        this.captions = captions;
        this.columns = Math.max(1, Math.min(columns, raster.size()));
        this.cell = cell;
        setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        addPaintListener(e -> paint(e.gc));
        addListener(SWT.Resize, e -> redraw());
        addDisposeListener(e -> images.forEach(Image::dispose));
    }

    private int captionHeight() {
        return captions.stream().anyMatch(c -> !c.isEmpty()) ? 18 : 0;
    }

    /** Columns that fit {@code width} pixels, at most the requested number. */
    private int columnsFor(int width) {
        return width <= 0 ? columns : Math.max(1, Math.min(columns, (width - 6) / (cell + 6)));
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        int cols = wHint == SWT.DEFAULT ? columns : columnsFor(wHint);
        int rows = (images.size() + cols - 1) / cols;
        return new Point(cols * (cell + 6) + 6, Math.max(1, rows) * (cell + captionHeight() + 6) + 6);
    }

    private void paint(GC gc) {
        gc.setInterpolation(SWT.NONE);
        int cols = columnsFor(getClientArea().width);
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            var b = img.getBounds();
            int x = 6 + (i % cols) * (cell + 6);
            int y = 6 + (i / cols) * (cell + captionHeight() + 6);
            double scale = Math.min((double) cell / b.width, (double) cell / b.height);
            int w = (int) Math.round(b.width * scale);
            int h = (int) Math.round(b.height * scale);
            gc.setInterpolation(scale >= 1 ? SWT.NONE : SWT.HIGH);
            gc.drawImage(img, 0, 0, b.width, b.height, x, y, w, h);
            if (captionHeight() > 0 && i < captions.size()) {
                gc.drawText(captions.get(i), x, y + cell + 2, true);
            }
        }
    }
}

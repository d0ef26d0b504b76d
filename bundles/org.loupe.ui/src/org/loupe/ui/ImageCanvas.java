package org.loupe.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.loupe.core.images.RasterImage;

/**
 * Draws images in a grid with captions, each scaled to a square cell (small images are enlarged with
 * nearest-neighbour sampling so pixels stay visible); the number of columns shrinks to fit the
 * width. Public API for plug-in renderers: show pictures with {@link #ImageCanvas}, replace one with
 * {@link #setImage} (a heat map whose opacity changed), react to clicks with {@link #onItemClicked},
 * map the mouse into an image with {@link #imageBounds}.
 * Disposes its SWT images with the control.
 *
 * @since 0.1
 */
public class ImageCanvas extends Canvas {

    private static final int PAD = 6;

    private final List<Image> images;
    private final List<String> captions;
    private final int columns;
    private final int cell;
    private final List<IntConsumer> clickListeners = new ArrayList<>();

    /**
     * Shows {@code raster} images in up to {@code columns} columns of {@code cell}-pixel cells, with
     * {@code captions} (one per image; empty strings for none).
     */
    public ImageCanvas(Composite parent, List<RasterImage> raster, List<String> captions, int columns, int cell) {
        super(parent, SWT.DOUBLE_BUFFERED);
        if (captions.size() != raster.size()) {
            throw new IllegalArgumentException(raster.size() + " images but " + captions.size() + " captions");
        }
        this.images = new ArrayList<>(raster.stream().map(r -> new Image(getDisplay(), SwtImages.toImageData(r))).toList());
        this.captions = List.copyOf(captions);
        this.columns = Math.max(1, Math.min(columns, Math.max(1, raster.size())));
        this.cell = cell;
        setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        addPaintListener(e -> paint(e.gc));
        addListener(SWT.Resize, e -> redraw());
        addListener(SWT.MouseUp, e -> {
            int i = itemAt(e.x, e.y);
            if (i >= 0 && e.button == 1) {
                clickListeners.forEach(l -> l.accept(i));
            }
        });
        addDisposeListener(e -> images.forEach(Image::dispose));
    }

    /** The number of images. */
    public int size() {
        return images.size();
    }

    /** Replaces image {@code i} and redraws. */
    public void setImage(int i, RasterImage image) {
        Image old = images.set(i, new Image(getDisplay(), SwtImages.toImageData(image)));
        old.dispose();
        redraw();
    }

    /** Calls {@code listener} with the index of each image clicked with the first button. */
    public void onItemClicked(IntConsumer listener) {
        clickListeners.add(listener);
    }

    /** The index of the image cell at control coordinates (x, y), or -1 if there is none. */
    public int itemAt(int x, int y) {
        int cols = columnsFor(getClientArea().width);
        int col = (x - PAD) / (cell + PAD);
        int row = (y - PAD) / (cell + captionHeight() + PAD);
        if (x < PAD || y < PAD || col >= cols || (x - PAD) % (cell + PAD) >= cell) {
            return -1;
        }
        int i = row * cols + col;
        return i < images.size() ? i : -1;
    }

    /** The centre of image {@code i}'s cell in control coordinates. */
    public Point centreOf(int i) {
        int cols = columnsFor(getClientArea().width);
        return new Point(PAD + (i % cols) * (cell + PAD) + cell / 2, PAD + (i / cols) * (cell + captionHeight() + PAD) + cell / 2);
    }

    /** Where image {@code i} is drawn, in control coordinates: its cell, shrunk to the image's aspect ratio. */
    public Rectangle imageBounds(int i) {
        int cols = columnsFor(getClientArea().width);
        var b = images.get(i).getBounds();
        double scale = Math.min((double) cell / b.width, (double) cell / b.height);
        return new Rectangle(PAD + (i % cols) * (cell + PAD), PAD + (i / cols) * (cell + captionHeight() + PAD),
                (int) Math.round(b.width * scale), (int) Math.round(b.height * scale));
    }

    private int captionHeight() {
        return captions.stream().anyMatch(c -> !c.isEmpty()) ? 18 : 0;
    }

    /** Columns that fit {@code width} pixels, at most the requested number. */
    private int columnsFor(int width) {
        return width <= 0 ? columns : Math.max(1, Math.min(columns, (width - PAD) / (cell + PAD)));
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        int cols = wHint == SWT.DEFAULT ? columns : columnsFor(wHint);
        int rows = (images.size() + cols - 1) / cols;
        return new Point(cols * (cell + PAD) + PAD, hHint != SWT.DEFAULT ? hHint : Math.max(1, rows) * (cell + captionHeight() + PAD) + PAD);
    }

    private void paint(GC gc) {
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            var b = img.getBounds();
            Rectangle r = imageBounds(i);
            gc.setInterpolation(r.width >= b.width ? SWT.NONE : SWT.HIGH);
            gc.drawImage(img, 0, 0, b.width, b.height, r.x, r.y, r.width, r.height);
            if (captionHeight() > 0 && i < captions.size()) {
                gc.drawText(fitted(gc, captions.get(i), cell), r.x, r.y + cell + 2, true);
            }
        }
    }

    /** {@code text}, shortened with an ellipsis to fit {@code width} pixels, so neighbouring captions never overlap. */
    public static String fitted(GC gc, String text, int width) {
        if (gc.textExtent(text).x <= width) {
            return text;
        }
        for (int n = text.length() - 1; n > 0; n--) {
            String s = text.substring(0, n).stripTrailing() + "\u2026";
            if (gc.textExtent(s).x <= width) {
                return s;
            }
        }
        return "";
    }
}

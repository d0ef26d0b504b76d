package org.loupe.ui.overlay;

import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.loupe.core.result.OverlayStyle;

/** A vertical colour bar beside an overlay panel: the colormap from its range's top (max) to bottom (min), five labelled ticks. */
final class ColorBar extends Canvas {

    /** Ticks along the bar, ends included. */
    static final int TICKS = 5;
    private static final int BAR = 14;
    private static final int MARGIN = 6;
    private final int height;
    private OverlayStyle style;

    ColorBar(Composite parent, OverlayStyle style, int height) {
        super(parent, SWT.DOUBLE_BUFFERED);
        this.style = style;
        this.height = height;
        setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        addPaintListener(e -> paint(e.gc));
    }

    /** The style shown. */
    OverlayStyle style() {
        return style;
    }

    void setStyle(OverlayStyle s) {
        style = s;
        redraw();
    }

    /** The text of tick {@code k} (0 at the bottom: the range's minimum). */
    static String tick(OverlayStyle s, int k) {
        return String.format(Locale.ROOT, "%.3g", s.min() + (s.max() - s.min()) * k / (TICKS - 1));
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        GC gc = new GC(this);
        try {
            int text = 0;
            for (int k = 0; k < TICKS; k++) {
                text = Math.max(text, gc.textExtent(tick(style, k)).x);
            }
            return new Point(BAR + 10 + Math.max(text, gc.textExtent("-0.000").x), height + 2 * MARGIN);
        } finally {
            gc.dispose();
        }
    }

    private void paint(GC gc) {
        int h = height;
        for (int y = 0; y < h; y++) {
            int rgb = style.colormap().rgb(1 - (double) y / Math.max(1, h - 1));
            gc.setForeground(new Color(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF));
            gc.drawLine(0, MARGIN + y, BAR - 1, MARGIN + y);
        }
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
        gc.drawRectangle(0, MARGIN, BAR - 1, h - 1);
        int textH = gc.textExtent("0").y;
        for (int k = 0; k < TICKS; k++) {
            int y = MARGIN + (int) Math.round((h - 1) * (1 - (double) k / (TICKS - 1)));
            gc.drawLine(BAR, y, BAR + 3, y);
            int ty = Math.max(0, Math.min(MARGIN + h - textH, y - textH / 2));
            gc.drawText(tick(style, k), BAR + 6, ty, true);
        }
    }
}

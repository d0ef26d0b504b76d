package org.loupe.example.analysis.ui;

import java.util.Locale;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.loupe.core.result.Result;
import org.loupe.example.analysis.UnitProfile;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/**
 * Draws a {@link UnitProfile}: one bar per unit for its mean activation with a whisker of one
 * standard deviation, dead units in red. Clicking a bar selects that unit in the Model view
 * (through the render context's selection); the tooltip tells the numbers. In a live preview
 * (the analysis still running) the title says so.
 */
public class UnitProfileRenderer implements ResultRenderer {

    private static final int LEFT = 48;
    private static final int TOP = 22;
    private static final int BOTTOM = 22;
    private Color alive;
    private Color deadColour;

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        UnitProfile p = (UnitProfile) result;
        alive = new Color(0x1f, 0x77, 0xb4);
        deadColour = new Color(0xd6, 0x27, 0x28);
        Canvas canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WHITE));
        canvas.setData(UnitProfile.class.getName(), p);
        canvas.addPaintListener(e -> paint(e.gc, canvas.getClientArea(), p, context.preview()));
        canvas.addListener(SWT.MouseUp, e -> {
            int u = unitAt(canvas.getClientArea(), p, e.x);
            if (u >= 0 && e.button == 1) {
                context.selection().select(p.unit(u));
            }
        });
        canvas.addListener(SWT.MouseMove, e -> {
            int u = unitAt(canvas.getClientArea(), p, e.x);
            canvas.setToolTipText(u < 0 ? null : String.format(Locale.ROOT, "unit %d: mean %.4g, std %.4g%s (click to select %s)", u,
                    p.mean()[u], p.std()[u], p.dead()[u] ? ", dead" : "", p.unit(u).label()));
        });
        canvas.addListener(SWT.Resize, e -> canvas.redraw());
        GridDataFactory.fillDefaults().grab(true, false).hint(600, 240).applyTo(canvas);
        return canvas;
    }

    /** The unit whose bar is at x, or -1. */
    static int unitAt(Rectangle area, UnitProfile p, int x) {
        double w = barWidth(area, p);
        int u = (int) Math.floor((x - LEFT) / w);
        return x < LEFT || u >= p.units() ? -1 : u;
    }

    private static double barWidth(Rectangle area, UnitProfile p) {
        return Math.max(1.0, (area.width - LEFT - 8) / (double) Math.max(1, p.units()));
    }

    private void paint(GC gc, Rectangle area, UnitProfile p, boolean preview) {
        double[] mean = p.mean();
        double[] std = p.std();
        boolean[] dead = p.dead();
        double top = 0;
        double bottom = 0;
        for (int u = 0; u < p.units(); u++) {
            top = Math.max(top, mean[u] + std[u]);
            bottom = Math.min(bottom, mean[u] - std[u]);
        }
        if (top <= bottom) {
            top = bottom + 1;
        }
        int h = area.height - TOP - BOTTOM;
        double scale = h / (top - bottom);
        int zero = TOP + (int) Math.round(top * scale);
        gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_DARK_GRAY));
        int dead0 = 0;
        for (boolean d : dead) {
            dead0 += d ? 1 : 0;
        }
        gc.drawText(String.format(Locale.ROOT, "%d units of %s, %d dead%s", p.units(), p.hookPoint(), dead0,
                preview ? " (preview: the analysis is still running)" : ""), LEFT, 2, true);
        gc.drawLine(LEFT - 2, TOP, LEFT - 2, TOP + h);
        gc.drawLine(LEFT - 2, zero, area.width - 8, zero);
        gc.drawText(String.format(Locale.ROOT, "%.3g", top), 2, TOP - 6, true);
        gc.drawText(String.format(Locale.ROOT, "%.3g", bottom), 2, TOP + h - 8, true);
        double w = barWidth(area, p);
        for (int u = 0; u < p.units(); u++) {
            int x = LEFT + (int) Math.round(u * w);
            int bw = Math.max(1, (int) Math.round(w) - (w > 4 ? 1 : 0));
            int y = TOP + (int) Math.round((top - Math.max(0, mean[u])) * scale);
            int bh = (int) Math.round(Math.abs(mean[u]) * scale);
            gc.setBackground(dead[u] ? deadColour : alive);
            gc.fillRectangle(x, y, bw, Math.max(dead[u] ? 2 : 0, bh));
            int cx = x + bw / 2;
            gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
            gc.drawLine(cx, TOP + (int) Math.round((top - mean[u] - std[u]) * scale), cx, TOP + (int) Math.round((top - mean[u] + std[u]) * scale));
        }
        gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_DARK_GRAY));
        Point label = gc.textExtent("unit");
        gc.drawText("unit 0.." + (p.units() - 1), LEFT, area.height - label.y - 2, true);
    }

    @Override
    public void dispose() {
        if (alive != null) {
            alive.dispose();
            deadColour.dispose();
        }
    }
}

package org.loupe.ui.internal.render;

import java.util.List;
import java.util.Locale;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Spinner;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/**
 * Shows a {@link HeatMapResult}: the map over its image at least 256 pixels wide, with the
 * colormap, the opacity and (for a map of several channels) the channel to show; the stored style
 * is where it starts. Changing them only redraws: the stored map is untouched.
 */
public class HeatMapRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        HeatMapResult r = (HeatMapResult) result;
        Composite box = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(7).applyTo(box);
        int width = r.image() == null ? r.map().width() : r.image().width();
        int cell = Math.max(256, Math.min(512, width));
        ImageCanvas canvas = new ImageCanvas(box, List.of(r.render(0)), List.of(r.caption()), 1, cell);
        GridDataFactory.fillDefaults().span(7, 1).applyTo(canvas);
        new Label(box, SWT.NONE).setText("Colormap");
        Combo colormap = new Combo(box, SWT.READ_ONLY);
        for (Colormap c : Colormap.values()) {
            colormap.add(c.name().toLowerCase(Locale.ROOT));
        }
        colormap.select(r.style().colormap().ordinal());
        new Label(box, SWT.NONE).setText("Opacity");
        Scale opacity = new Scale(box, SWT.HORIZONTAL);
        opacity.setMinimum(0);
        opacity.setMaximum(100);
        opacity.setSelection((int) Math.round(r.style().opacity() * 100));
        opacity.setEnabled(r.image() != null);
        GridDataFactory.fillDefaults().hint(120, SWT.DEFAULT).applyTo(opacity);
        new Label(box, SWT.NONE).setText("Channel");
        Spinner channel = new Spinner(box, SWT.BORDER);
        channel.setValues(0, 0, r.map().channels() - 1, 0, 1, 1);
        channel.setEnabled(r.map().channels() > 1);
        Label range = new Label(box, SWT.NONE);
        GridDataFactory.fillDefaults().span(7, 1).applyTo(range);
        range.setText(String.format(Locale.ROOT, "colours span [%.3g, %.3g]; map %s", r.style().min(), r.style().max(),
                java.util.Arrays.toString(r.map().shape())));
        Runnable redraw = () -> {
            OverlayStyle s = new OverlayStyle(Colormap.values()[colormap.getSelectionIndex()], r.style().min(), r.style().max(),
                    opacity.getSelection() / 100.0);
            canvas.setImage(0, new HeatMapResult(r.title(), r.map(), r.image(), s, r.caption()).render(channel.getSelection()));
        };
        colormap.addListener(SWT.Selection, e -> redraw.run());
        opacity.addListener(SWT.Selection, e -> redraw.run());
        channel.addListener(SWT.Selection, e -> redraw.run());
        box.setData("canvas", canvas);
        return box;
    }
}

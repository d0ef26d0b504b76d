package org.loupe.ui.charts;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.swt.ChartComposite;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Result;
import org.loupe.render.Charts;
import org.loupe.render.Exporter;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/**
 * Shows a {@link ChartResult} (line, scatter, bar, histogram or polar) as an interactive JFreeChart (zoom by dragging, tooltips), with
 * buttons to save it as PNG or its data as CSV. JFreeChart-SWT's own "Save as" menu is left out:
 * it calls a class JFreeChart 1.5 no longer has.
 *
 * @since 0.1
 */
public class ChartRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        ChartResult chart = (ChartResult) result;
        Composite box = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(box);
        JFreeChart jfc = Charts.create(chart);
        ChartComposite composite = new ChartComposite(box, SWT.BORDER, jfc, 680, 420, 200, 150, 4000, 3000, true,
                true, false, false, true, true);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(320, 380).minSize(240, 200).applyTo(composite);
        Button png = new Button(box, SWT.PUSH);
        png.setText("Save PNG...");
        png.addListener(SWT.Selection, e -> save(box, chart, "png"));
        Button csv = new Button(box, SWT.PUSH);
        csv.setText("Save CSV...");
        csv.addListener(SWT.Selection, e -> save(box, chart, "csv"));
        box.setData("chart", composite);
        return box;
    }

    private static void save(Composite box, ChartResult chart, String ext) {
        FileDialog fd = new FileDialog(box.getShell(), SWT.SAVE);
        fd.setOverwrite(true);
        fd.setFileName(Exporter.slug(chart.title()) + "." + ext);
        fd.setFilterExtensions(new String[] {"*." + ext});
        String file = fd.open();
        if (file == null) {
            return;
        }
        try {
            if (ext.equals("png")) {
                Exporter.writeChartPng(chart, Path.of(file));
            } else {
                Exporter.writeCsv(chart, Path.of(file));
            }
        } catch (IOException ex) {
            MessageDialog.openError(box.getShell(), "Save chart", "Cannot write " + file + ": " + ex.getMessage());
        }
    }
}

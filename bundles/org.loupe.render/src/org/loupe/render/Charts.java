package org.loupe.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.PolarPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.DefaultPolarItemRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Series;

/**
 * Turns a {@link ChartResult} into a JFreeChart, the same in the workbench and in exported PNGs.
 * Works headless.
 *
 * @since 0.1
 */
public final class Charts {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private Charts() {
    }

    /** The chart for {@code result}. */
    public static JFreeChart create(ChartResult result) {
        if (result.kind() == ChartKind.BAR) {
            return bars(result);
        }
        if (result.kind() == ChartKind.POLAR) {
            return polar(result);
        }
        XYSeriesCollection data = xyData(result);
        boolean legend = result.series().size() > 1;
        JFreeChart chart = ChartFactory.createXYLineChart(result.title(), result.xLabel(), result.yLabel(), data, PlotOrientation.VERTICAL,
                legend, true, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        if (result.kind() == ChartKind.HISTOGRAM) {
            data.setIntervalWidth(binWidth(result));
            data.setIntervalPositionFactor(0.5);
            XYBarRenderer bars = new XYBarRenderer(0.0);
            bars.setBarPainter(new StandardXYBarPainter());
            bars.setShadowVisible(false);
            bars.setDrawBarOutline(true);
            bars.setDefaultOutlinePaint(Color.WHITE);
            colour(bars, result.series().size());
            plot.setRenderer(bars);
        } else {
            XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(result.kind() == ChartKind.LINE, result.kind() == ChartKind.SCATTER
                    || longest(result) <= 60);
            for (int i = 0; i < result.series().size(); i++) {
                lines.setSeriesStroke(i, new BasicStroke(2f));
            }
            colour(lines, result.series().size());
            plot.setRenderer(lines);
        }
        return chart;
    }

    /** The series as XY data, in their order (duplicate x values kept). */
    private static XYSeriesCollection xyData(ChartResult result) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : result.series()) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) {
                xy.add(x[i], y[i]);
            }
            data.addSeries(xy);
        }
        return data;
    }

    /** A polar plot: x in degrees clockwise from the top, y as the radius, each series a closed curve. */
    private static JFreeChart polar(ChartResult result) {
        XYSeriesCollection data = xyData(result);
        JFreeChart chart = ChartFactory.createPolarChart(result.title(), data, result.series().size() > 1, true, false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        PolarPlot plot = (PolarPlot) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setAngleGridlinePaint(new Color(0xbbbbbb));
        plot.setRadiusGridlinePaint(new Color(0xbbbbbb));
        plot.getAxis().setLabel(result.yLabel());
        DefaultPolarItemRenderer r = (DefaultPolarItemRenderer) plot.getRenderer();
        r.setShapesVisible(longest(result) <= 60);
        for (int i = 0; i < result.series().size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesFilled(i, false);
        }
        return chart;
    }

    /** Clustered bars, one cluster per x value, one bar per series. */
    private static JFreeChart bars(ChartResult result) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Series s : result.series()) {
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) {
                data.addValue(y[i], s.name(), result.category(x[i]));
            }
        }
        // named categories (class names) read best as horizontal bars, top item first
        boolean named = !result.categories().isEmpty();
        JFreeChart chart = ChartFactory.createBarChart(result.title(), result.xLabel(), result.yLabel(), data,
                named ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL, result.series().size() > 1, true, false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.02);
        for (int i = 0; i < result.series().size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryMargin(0.1);
        int categories = data.getColumnCount();
        if (named) {
            axis.setMaximumCategoryLabelWidthRatio(0.4f);
        } else if (categories > 32) {
            axis.setTickLabelsVisible(false);
            axis.setTickMarksVisible(false);
            axis.setLabel(result.xLabel() + " (" + categories + ")");
        } else if (categories > 12) {
            axis.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        }
        return chart;
    }

    /** Writes {@code result} as a PNG of {@code width x height}. */
    public static void writePng(ChartResult result, OutputStream out, int width, int height) throws IOException {
        ChartUtils.writeChartAsPNG(out, create(result), width, height);
    }

    /** Renders {@code result} into an image. */
    public static BufferedImage render(ChartResult result, int width, int height) {
        return create(result).createBufferedImage(width, height);
    }

    private static void colour(org.jfree.chart.renderer.xy.AbstractXYItemRenderer r, int n) {
        for (int i = 0; i < n; i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
    }

    /** The spacing of a histogram's bin centres (1 if there is a single bin). */
    private static double binWidth(ChartResult r) {
        for (Series s : r.series()) {
            double[] x = s.x();
            if (x.length > 1) {
                return Math.abs(x[1] - x[0]);
            }
        }
        return 1;
    }

    private static int longest(ChartResult r) {
        return r.series().stream().mapToInt(Series::size).max().orElse(0);
    }

}

package org.loupe.core.result;

import java.util.List;

/**
 * A chart of one or more series, rendered with JFreeChart in the workbench and to PNG on export.
 *
 * @param title      the title
 * @param kind       how to draw it
 * @param xLabel     the x axis label
 * @param yLabel     the y axis label
 * @param series     the series
 * @param categories names of the x positions 0, 1, 2, ... of a bar chart (class names, unit labels);
 *                   empty to show the x values
 *
 * @since 0.1
 */
public record ChartResult(String title, ChartKind kind, String xLabel, String yLabel, List<Series> series, List<String> categories)
        implements Result {

    /** Copies the lists. */
    public ChartResult {
        series = List.copyOf(series);
        categories = List.copyOf(categories);
    }

    /** A chart whose x values are shown as numbers. */
    public ChartResult(String title, ChartKind kind, String xLabel, String yLabel, List<Series> series) {
        this(title, kind, xLabel, yLabel, series, List.of());
    }

    /** The name of x position {@code x}: its category if there is one, else the number. */
    public String category(double x) {
        int i = (int) x;
        if (i == x && i >= 0 && i < categories.size()) {
            return categories.get(i);
        }
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}

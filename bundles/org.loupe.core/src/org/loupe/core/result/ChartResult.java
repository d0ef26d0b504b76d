package org.loupe.core.result;

import java.util.List;

/**
 * A chart of one or more series, rendered with JFreeChart in the workbench and to PNG on export.
 *
 * @param title  the title
 * @param kind   how to draw it
 * @param xLabel the x axis label
 * @param yLabel the y axis label
 * @param series the series
 */
public record ChartResult(String title, ChartKind kind, String xLabel, String yLabel, List<Series> series) implements Result {

    /** Copies the series list. */
    public ChartResult {
        series = List.copyOf(series);
    }
}

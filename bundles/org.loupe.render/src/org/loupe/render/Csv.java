package org.loupe.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

import org.loupe.core.result.ChartResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;

/**
 * CSV (RFC 4180) of charts, tables, float maps and galleries.
 *
 * @since 0.1
 */
public final class Csv {

    private Csv() {
    }

    /** One row per point: {@code series,x,y}. */
    public static void write(ChartResult chart, Writer out) throws IOException {
        out.write(row(List.of("series", chart.xLabel().isEmpty() ? "x" : chart.xLabel(), chart.yLabel().isEmpty() ? "y" : chart.yLabel())));
        for (Series s : chart.series()) {
            double[] x = s.x();
            double[] y = s.y();
            for (int i = 0; i < x.length; i++) {
                out.write(row(List.of(s.name(), chart.categories().isEmpty() ? number(x[i]) : chart.category(x[i]), number(y[i]))));
            }
        }
    }

    /** The header, then one row per table row. */
    public static void write(TableResult table, Writer out) throws IOException {
        out.write(row(table.columns()));
        for (List<Object> r : table.rows()) {
            out.write(row(r.stream().map(c -> c instanceof Number n ? number(n.doubleValue()) : c.toString()).toList()));
        }
    }

    /** One row per value: {@code channel,y,x,value} (values exact: the shortest text that reads back as the same float). */
    public static void write(FloatMap map, Writer out) throws IOException {
        out.write(row(List.of("channel", "y", "x", "value")));
        for (int c = 0; c < map.channels(); c++) {
            for (int y = 0; y < map.height(); y++) {
                for (int x = 0; x < map.width(); x++) {
                    out.write(c + "," + y + "," + x + "," + Float.toString(map.get(c, y, x)) + "\r\n");
                }
            }
        }
    }

    /** One row per gallery item: {@code item,caption,<value label>,unit}. */
    public static void write(GalleryResult gallery, Writer out) throws IOException {
        out.write(row(List.of("item", "caption", gallery.valueLabel().isEmpty() ? "value" : gallery.valueLabel(), "unit")));
        for (int i = 0; i < gallery.items().size(); i++) {
            GalleryItem it = gallery.items().get(i);
            out.write(row(List.of(Integer.toString(i), it.caption(), it.value() == null ? "" : number(it.value()),
                    it.unit() == null ? "" : it.unit().link())));
        }
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.9g", d).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    private static String row(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append("\r\n").toString();
    }
}

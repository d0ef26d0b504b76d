package org.loupe.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.loupe.core.images.RasterImage;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.store.RunStore;

/**
 * Exports a run to a folder for people and other tools: {@code run.json} with the full provenance
 * and the stored images, plus one file per part of the result: charts (polar ones too) as PNG and
 * CSV, tables as CSV, image grids as one PNG, galleries as one PNG and a CSV of captions, values and
 * units, heat maps as a PNG per channel (the overlay with its colour bar) plus the values as NPY and
 * CSV, text as .txt. A gallery item's detail is exported as its own part, named after the item.
 *
 * @since 0.1
 */
public final class Exporter {

    /** Size of exported chart images. */
    public static final int CHART_WIDTH = 900;
    /** Size of exported chart images. */
    public static final int CHART_HEIGHT = 560;

    private Exporter() {
    }

    /** Writes everything; returns the files written besides run.json and its images. */
    public static List<Path> exportRun(Run run, Path dir) throws IOException {
        RunStore.writeFolder(run, dir);
        List<Path> written = new ArrayList<>();
        List<Result> parts = run.result() instanceof CompositeResult c ? c.parts() : List.of(run.result());
        for (int i = 0; i < parts.size(); i++) {
            exportPart(parts.get(i), dir, String.format(Locale.ROOT, "%02d-%s", i + 1, slug(parts.get(i).title())), written);
        }
        return written;
    }

    private static void exportPart(Result part, Path dir, String base, List<Path> written) throws IOException {
        if (part instanceof ChartResult chart) {
            written.add(writeChartPng(chart, dir.resolve(base + ".png")));
            written.add(writeCsv(part, dir.resolve(base + ".csv")));
        } else if (part instanceof TableResult) {
            written.add(writeCsv(part, dir.resolve(base + ".csv")));
        } else if (part instanceof ImageResult img) {
            written.add(writePng(img.image().toBufferedImage(), dir.resolve(base + ".png")));
        } else if (part instanceof ImageGridResult grid) {
            written.add(writePng(gridImage(grid, 128), dir.resolve(base + ".png")));
        } else if (part instanceof GalleryResult gallery) {
            written.add(writePng(gridImage(gallery.asGrid(), 128), dir.resolve(base + ".png")));
            written.add(writeCsv(part, dir.resolve(base + ".csv")));
            for (int i = 0; i < gallery.items().size(); i++) {
                Result detail = gallery.items().get(i).detail();
                if (detail != null) {
                    exportPart(detail, dir, base + "-item" + (i + 1) + "-" + slug(detail.title()), written);
                }
            }
        } else if (part instanceof HeatMapResult map) {
            for (int c = 0; c < map.map().channels(); c++) {
                String name = map.map().channels() == 1 ? base : base + "-c" + c;
                written.add(writePng(HeatMaps.withColorbar(map, c), dir.resolve(name + ".png")));
            }
            written.add(writeNpy(map.map(), dir.resolve(base + ".npy")));
            written.add(writeCsv(part, dir.resolve(base + ".csv")));
        } else if (part instanceof TextResult text) {
            Path p = dir.resolve(base + ".txt");
            Files.writeString(p, text.text() + System.lineSeparator(), StandardCharsets.UTF_8);
            written.add(p);
        } else if (part instanceof CompositeResult c) {
            for (int i = 0; i < c.parts().size(); i++) {
                exportPart(c.parts().get(i), dir, base + "-" + (i + 1) + "-" + slug(c.parts().get(i).title()), written);
            }
        }
    }

    /** {@code text}, shortened with an ellipsis to {@code width} pixels, so that neighbouring captions of a grid never overlap. */
    public static String fitted(java.awt.FontMetrics metrics, String text, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String t = text;
        while (!t.isEmpty() && metrics.stringWidth(t + "\u2026") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }

    /** Writes a chart as a PNG. */
    public static Path writeChartPng(ChartResult chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Charts.writePng(chart, out, CHART_WIDTH, CHART_HEIGHT);
        }
        return file;
    }

    /** Writes a chart, table, gallery or heat map (its values) as CSV. */
    public static Path writeCsv(Result part, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (part instanceof ChartResult c) {
                Csv.write(c, w);
            } else if (part instanceof TableResult t) {
                Csv.write(t, w);
            } else if (part instanceof GalleryResult g) {
                Csv.write(g, w);
            } else if (part instanceof HeatMapResult h) {
                Csv.write(h.map(), w);
            } else {
                throw new IOException("only charts, tables, galleries and heat maps export as CSV, not " + part.title());
            }
        }
        return file;
    }

    /** Writes a float map as a NumPy {@code .npy} file. */
    public static Path writeNpy(FloatMap map, Path file) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            map.writeNpy(out);
        }
        return file;
    }

    /** Writes an image as a PNG. */
    public static Path writePng(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
        return file;
    }

    /** The images of a grid laid out in one picture, each scaled to {@code cell} pixels wide, captions below. */
    public static BufferedImage gridImage(ImageGridResult grid, int cell) {
        int n = grid.images().size();
        int cols = Math.max(1, Math.min(grid.columns(), n));
        int rows = Math.max(1, (n + cols - 1) / cols);
        int captionH = grid.captions().stream().anyMatch(c -> !c.isEmpty()) ? 16 : 0;
        int pad = 4;
        BufferedImage out = new BufferedImage(cols * (cell + pad) + pad, rows * (cell + captionH + pad) + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < n; i++) {
                RasterImage img = grid.images().get(i);
                int x = pad + (i % cols) * (cell + pad);
                int y = pad + (i / cols) * (cell + captionH + pad);
                int h = Math.max(1, Math.round(cell * (float) img.height() / img.width()));
                boolean upscale = img.width() < cell;
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, upscale ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                        : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(img.toBufferedImage(), x, y, cell, Math.min(h, cell), null);
                if (captionH > 0) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(fitted(g.getFontMetrics(), grid.captions().get(i), cell), x, y + cell + 12);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A file-name-safe version of a title. */
    public static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "part" : s.length() > 60 ? s.substring(0, 60) : s;
    }
}

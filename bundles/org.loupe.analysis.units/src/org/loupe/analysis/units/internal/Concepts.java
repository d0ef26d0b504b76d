package org.loupe.analysis.units.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;

/**
 * The concept masks of one image for Network Dissection, read from its ground truth: the object
 * (the shape's class, where it has a mask), the shape's and the background's colour, the background
 * kind, and the stimulus families (edges and lines by orientation, curves by orientation, gratings
 * by frequency). Every concept belongs to a category; an image annotates a category when it says
 * what is there for that category, even if a given concept of it is absent.
 */
public final class Concepts {

    /** One concept present in an image: its category, name and pixels (row by row, the image's size). */
    public record Mask(String category, String concept, boolean[] pixels) {
    }

    private static final String[] COLOR_NAMES = {"black", "white", "gray", "red", "green", "blue", "yellow", "cyan", "magenta",
            "orange", "purple", "brown"};
    private static final int[] COLORS = {0x000000, 0xFFFFFF, 0x808080, 0xE02020, 0x20B020, 0x2040E0, 0xF0E020, 0x20E0E0, 0xE020E0,
            0xF09020, 0x8030C0, 0x8B5A2B};

    private Concepts() {
    }

    /** The concept masks of {@code image}; empty if its ground truth names none. */
    public static List<Mask> of(SourceImage image) {
        Map<String, Object> truth = image.groundTruth();
        int w = image.image().width();
        int h = image.image().height();
        String name = image.name();
        List<Mask> out = new ArrayList<>();
        Object orientation = truth.get("orientation");
        if (name.startsWith("edges-") && orientation instanceof Number o && truth.get("boundaryPixel") instanceof List<?> b) {
            double t = Math.toRadians(o.doubleValue());
            double nx = Math.cos(t);
            double ny = -Math.sin(t);
            double bx = ((Number) b.get(0)).doubleValue();
            double by = ((Number) b.get(1)).doubleValue();
            boolean[] band = new boolean[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    band[y * w + x] = Math.abs((x + 0.5 - bx) * nx + (y + 0.5 - by) * ny) <= 1.5;
                }
            }
            out.add(new Mask("edge", "edge " + bin(o.doubleValue(), 180, 30) + "°", band));
            return out;
        }
        if (name.startsWith("gratings-") && truth.get("frequency") instanceof Number f) {
            boolean[] all = new boolean[w * h];
            java.util.Arrays.fill(all, true);
            int lo = Integer.highestOneBit(Math.max(1, (int) Math.floor(f.doubleValue())));
            out.add(new Mask("grating", "grating " + lo + "-" + 2 * lo + " cycles", all));
            return out;
        }
        if (!(truth.get("mask") instanceof RasterImage maskImage) || maskImage.width() != w || maskImage.height() != h) {
            return out;
        }
        boolean[] figure = new boolean[w * h];
        boolean[] ground = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                figure[y * w + x] = maskImage.pixel(x, y) != 0;
                ground[y * w + x] = !figure[y * w + x];
            }
        }
        if (name.startsWith("curves-") && orientation instanceof Number o) {
            out.add(new Mask("curve", "curve " + bin(o.doubleValue(), 360, 45) + "°", figure));
            return out;
        }
        if (name.startsWith("lines-") && orientation instanceof Number o) {
            out.add(new Mask("line", "line " + bin(o.doubleValue(), 180, 30) + "°", figure));
            return out;
        }
        if (image.label() != null) {
            out.add(new Mask("object", image.label(), figure));
        }
        String fg = colorName(truth.get("color"));
        String bg = colorName(truth.containsKey("backgroundColor") ? truth.get("backgroundColor") : truth.get("bg"));
        if (fg != null && fg.equals(bg)) {
            boolean[] all = new boolean[w * h];
            java.util.Arrays.fill(all, true);
            out.add(new Mask("color", fg, all));
        } else {
            if (fg != null) {
                out.add(new Mask("color", fg, figure));
            }
            if (bg != null) {
                out.add(new Mask("color", bg, ground));
            }
        }
        if (truth.get("background") != null) {
            out.add(new Mask("background", "background " + truth.get("background").toString().toLowerCase(Locale.ROOT), ground));
        }
        return out;
    }

    /** The start of the {@code width}-degree bin of {@code angle} taken modulo {@code period}. */
    private static int bin(double angle, int period, int width) {
        double a = ((angle % period) + period) % period;
        int b = (int) Math.round(a / width) * width;
        return b % period;
    }

    /** The nearest named colour of {@code #rrggbb} (or the name itself), or null. */
    static String colorName(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        if (!s.startsWith("#") || s.length() != 7) {
            return s.toLowerCase(Locale.ROOT);
        }
        int rgb = Integer.parseInt(s.substring(1), 16);
        int best = 0;
        long bestD = Long.MAX_VALUE;
        for (int i = 0; i < COLORS.length; i++) {
            long d = 0;
            for (int shift = 0; shift <= 16; shift += 8) {
                long diff = ((rgb >> shift) & 0xFF) - ((COLORS[i] >> shift) & 0xFF);
                d += diff * diff;
            }
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return COLOR_NAMES[best];
    }
}

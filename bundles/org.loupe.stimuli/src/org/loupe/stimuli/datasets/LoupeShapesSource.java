package org.loupe.stimuli.datasets;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.SourceImage;
import org.loupe.stimuli.render.Background;
import org.loupe.stimuli.render.BackgroundKind;
import org.loupe.stimuli.render.Canvas;
import org.loupe.stimuli.render.Colors;
import org.loupe.stimuli.render.Figure;
import org.loupe.stimuli.render.ShapeKind;
import org.loupe.stimuli.synth.IndexedSource;
import org.loupe.stimuli.synth.Seeds;

/**
 * "Loupe Shapes": a synthetic classification dataset with exact localisation ground truth. Each
 * image shows one solid shape of one of {@code classes} classes (the first K of circle, square,
 * triangle, star, cross, ring, crescent, heart; {@link ShapeKind}) at a random size, rotation and
 * position (always wholly inside the image), in a random colour, on a random background (plain,
 * gradient, noise or grating; {@link Background}).
 *
 * <p>Contrast is guaranteed: either the shape is light and the background dark or the other way
 * round, every channel of a light colour lies in [155, 255] and of a dark colour in [0, 100], and
 * backgrounds stay inside their range, so every pixel the shape fully covers differs from the
 * background in every channel by at least 55/255.
 *
 * <p>Determinism and splits: image {@code i} of a split depends only on the seed, the split, the
 * other parameters and {@code i} (random access with {@link IndexedSource#get}). Its random
 * stream is number {@code 3 i + split} ({@link Seeds}), so no two images of any splits share a
 * stream: the splits are disjoint by construction. Classes are balanced: each block of K
 * consecutive images holds every class once, in a random order.
 *
 * <p>Each image's label is the class name; its ground truth:
 * <ul>
 * <li>{@code class}: the class index (0-based, in the order above)</li>
 * <li>{@code bbox}: {@code [x0, y0, x1, y1]}, pixels with {@code x0 <= x < x1, y0 <= y < y1}</li>
 * <li>{@code mask}: a {@link org.loupe.core.images.RasterImage} of the image's size, white
 * ({@code 0xFFFFFF}) exactly where drawing the shape changed the pixel, black elsewhere
 * ({@link Figure}); {@code area}: its pixel count</li>
 * <li>{@code center} {@code [x, y]} (pixels), {@code diameter} (pixels), {@code rotation}
 * (degrees counter-clockwise), {@code color} ({@code #rrggbb}), {@code background} (kind),
 * {@code backgroundColor} (its main colour, {@code #rrggbb}: every background pixel of a plain
 * background), {@code split}, {@code index}</li>
 * </ul>
 *
 * @since 0.1
 */
public class LoupeShapesSource implements ImageSourceFactory<LoupeShapesSource.Params> {

    /** The dataset's splits. */
    public enum Split {
        /** Training images. */
        TRAIN,
        /** Validation images. */
        VAL,
        /** Held-out test images. */
        TEST
    }

    /** The classes, in index order (the first {@code classes} are used). */
    public static final List<ShapeKind> CLASSES = List.of(ShapeKind.CIRCLE, ShapeKind.SQUARE, ShapeKind.TRIANGLE, ShapeKind.STAR,
            ShapeKind.CROSS, ShapeKind.RING, ShapeKind.CRESCENT, ShapeKind.HEART);

    /** Channel range of dark colours. */
    public static final int DARK_MAX = 100;
    /** Channel range of light colours. */
    public static final int LIGHT_MIN = 155;

    private static final long IMAGES = 11;
    private static final long BLOCKS = 12;

    /**
     * Parameters.
     *
     * @param size        width and height in pixels
     * @param count       number of images
     * @param split       which split
     * @param classes     number of classes K
     * @param minSize     smallest shape diameter, as a fraction of the image size
     * @param maxSize     largest shape diameter, as a fraction of the image size
     * @param backgrounds the background kinds drawn from, joined by {@code +}
     * @param noise       the noise amplitude of noise backgrounds
     */
    public record Params(
            @Param(value = "width and height in pixels", min = 16, max = 1024) int size,
            @Param(value = "number of images", min = 1, max = 100_000_000) int count,
            @Param("split: train, val or test (disjoint)") Split split,
            @Param(value = "number of classes: the first K of circle, square, triangle, star, cross, ring, crescent, heart", min = 2, max = 8) int classes,
            @Param(value = "smallest shape diameter, fraction of the image size", min = 0.1, max = 1) double minSize,
            @Param(value = "largest shape diameter, fraction of the image size", min = 0.1, max = 1) double maxSize,
            @Param("background kinds drawn from, joined by +: plain, gradient, noise, grating") String backgrounds,
            @Param(value = "noise amplitude of noise backgrounds (channel values in [0, 1])", min = 0, max = 0.4) double noise)
            implements Validating {

        @Override
        public void validate() {
            if (minSize > maxSize) {
                throw new IllegalArgumentException("minSize (" + minSize + ") must not be larger than maxSize (" + maxSize + ")");
            }
            kinds(backgrounds);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(64, 1000, Split.TRAIN, 8, 0.25, 0.75, "plain+gradient+noise+grating", 0.15);
    }

    /** The background kinds of a {@code backgrounds} text. */
    static List<BackgroundKind> kinds(String text) {
        List<BackgroundKind> out = new ArrayList<>();
        for (String s : text.split("[+;]")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            BackgroundKind k = Arrays.stream(BackgroundKind.values()).filter(b -> b.id().equals(t.toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("parameter 'backgrounds' has an unknown kind '" + t + "'; kinds: "
                            + String.join(", ", Arrays.stream(BackgroundKind.values()).map(BackgroundKind::id).toList())));
            if (!out.contains(k)) {
                out.add(k);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("parameter 'backgrounds' needs at least one kind: plain, gradient, noise, grating");
        }
        return out;
    }

    @Override
    public ImageSource open(Params p, long seed) {
        List<BackgroundKind> kinds = kinds(p.backgrounds());
        List<ShapeKind> classes = CLASSES.subList(0, p.classes());
        String what = p.count() + " Loupe Shapes " + p.split().name().toLowerCase(Locale.ROOT) + " images of " + p.size() + "x" + p.size() + ", "
                + p.classes() + " classes (" + String.join(", ", classes.stream().map(ShapeKind::id).toList()) + "), backgrounds "
                + String.join("+", kinds.stream().map(BackgroundKind::id).toList()) + " (seed " + seed + ")";
        return new IndexedSource(what, p.count(), i -> image(p, kinds, seed, i));
    }

    /** The class index of image {@code i}: each block of K images is a random permutation of the classes. */
    static int classOf(Params p, long seed, int i) {
        int k = p.classes();
        SplittableRandom r = Seeds.stream(seed, BLOCKS, (long) (i / k) * 3 + p.split().ordinal());
        int[] perm = new int[k];
        for (int j = 0; j < k; j++) {
            perm[j] = j;
        }
        for (int j = k - 1; j > 0; j--) {
            int o = r.nextInt(j + 1);
            int t = perm[j];
            perm[j] = perm[o];
            perm[o] = t;
        }
        return perm[i % k];
    }

    private static SourceImage image(Params p, List<BackgroundKind> kinds, long seed, int i) {
        int size = p.size();
        int cls = classOf(p, seed, i);
        ShapeKind shape = CLASSES.get(cls);
        SplittableRandom r = Seeds.stream(seed, IMAGES, (long) i * 3 + p.split().ordinal());
        boolean lightShape = r.nextBoolean();
        int bgLo = lightShape ? 0 : LIGHT_MIN;
        int bgHi = lightShape ? DARK_MAX : 255;
        BackgroundKind kind = kinds.get(r.nextInt(kinds.size()));
        int c1 = colour(r, bgLo, bgHi);
        int c2 = colour(r, bgLo, bgHi);
        int fg = lightShape ? colour(r, LIGHT_MIN, 255) : colour(r, 0, DARK_MAX);
        double diameter = size * (p.minSize() + r.nextDouble() * (p.maxSize() - p.minSize()));
        double rotation = r.nextDouble() * 360;
        Rectangle2D b = shape.placed(0, 0, diameter / 2, rotation).getBounds2D();
        double cx = place(r, -b.getMinX(), size - b.getMaxX());
        double cy = place(r, -b.getMinY(), size - b.getMaxY());
        double amount = kind == BackgroundKind.NOISE ? p.noise() : 1;
        int[] bg = new Background(kind, c1, c2, amount, bgLo, bgHi).render(size, size, r);
        Shape placed = shape.placed(cx, cy, diameter / 2, rotation);
        Figure figure;
        Canvas canvas = new Canvas(size, size);
        try (canvas) {
            canvas.setPixels(bg);
            canvas.graphics().setColor(new Color(fg));
            canvas.graphics().fill(placed);
            figure = Figure.difference(bg, canvas.pixels(), size, size);
        }
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("class", cls);
        truth.putAll(figure.truth());
        truth.put("center", List.of(cx, cy));
        truth.put("diameter", diameter);
        truth.put("rotation", rotation);
        truth.put("color", Colors.format(fg));
        truth.put("background", kind.id());
        truth.put("backgroundColor", Colors.format(c1));
        truth.put("split", p.split().name().toLowerCase(Locale.ROOT));
        truth.put("index", i);
        return new SourceImage(p.split().name().toLowerCase(Locale.ROOT) + "-" + i, canvas.toRaster(), shape.id(), truth);
    }

    private static double place(SplittableRandom r, double lo, double hi) {
        return lo >= hi ? (lo + hi) / 2 : lo + r.nextDouble() * (hi - lo);
    }

    private static int colour(SplittableRandom r, int lo, int hi) {
        return (r.nextInt(lo, hi + 1) << 16) | (r.nextInt(lo, hi + 1) << 8) | r.nextInt(lo, hi + 1);
    }
}

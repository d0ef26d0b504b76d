package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.stimuli.synth.IndexedSource;

/** Loupe Shapes: exact masks and boxes, balanced classes, determinism, disjoint splits, clear errors. */
class LoupeShapesTest {

    private static final List<String> CLASSES = List.of("circle", "square", "triangle", "star", "cross", "ring", "crescent", "heart");

    private final LoupeRegistry registry = new LoupeRegistry();

    private static RasterImage mask(SourceImage s) {
        return (RasterImage) s.groundTruth().get("mask");
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> box(SourceImage s) {
        return (List<Integer>) s.groundTruth().get("bbox");
    }

    private static int rgb(SourceImage s, String key) {
        return Integer.parseInt(((String) s.groundTruth().get(key)).substring(1), 16);
    }

    /** Checks the box and area against the mask, and returns the mask's pixel count. */
    private static int checkBoxAndArea(SourceImage s) {
        RasterImage m = mask(s);
        int n = m.width();
        int area = 0;
        int x0 = n;
        int y0 = n;
        int x1 = 0;
        int y1 = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int v = m.pixel(x, y);
                assertTrue(v == 0 || v == 0xFFFFFF, "mask values are black or white");
                if (v != 0) {
                    area++;
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x + 1);
                    y1 = Math.max(y1, y + 1);
                }
            }
        }
        assertEquals(List.of(x0, y0, x1, y1), box(s), "bbox is the mask's bounding box in " + s.name());
        assertEquals(area, (int) Px.num(s, "area"));
        return area;
    }

    @Test
    void onPlainBackgroundsTheMaskIsExactlyWhereThePixelsDiffer() {
        for (SourceImage s : Px.all(registry, "loupe-shapes:count=400,backgrounds=plain", 1)) {
            int bg = rgb(s, "backgroundColor");
            RasterImage m = mask(s);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    assertEquals(s.image().pixel(x, y) != bg, m.pixel(x, y) != 0, "pixel " + x + "," + y + " of " + s.name());
                }
            }
            checkBoxAndArea(s);
            assertEquals(CLASSES.get((int) Px.num(s, "class")), s.label());
        }
    }

    @Test
    void masksMatchTheShapesGeometryOnEveryBackground() {
        int checked = 0;
        int inside = 0;
        int rim = 0;
        Set<String> backgrounds = new HashSet<>();
        for (SourceImage s : Px.all(registry, "loupe-shapes:count=600", 2)) {
            int area = checkBoxAndArea(s);
            List<Integer> b = box(s);
            int w = b.get(2) - b.get(0);
            int h = b.get(3) - b.get(1);
            // never tiny: the smallest shape (diameter 16 px) is at least 12 px across either way
            assertTrue(Math.min(w, h) >= 12, "box " + b + " of " + s.name());
            assertTrue(area >= 60, "area " + area);
            backgrounds.add((String) s.groundTruth().get("background"));
            int fg = rgb(s, "color");
            boolean light = ((fg >> 16) & 255) >= 155;
            RasterImage m = mask(s);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int p = s.image().pixel(x, y);
                    if (m.pixel(x, y) == 0) {
                        // background pixels stay in the background's range, opposite to the shape's
                        for (int sh = 0; sh <= 16; sh += 8) {
                            int c = (p >> sh) & 255;
                            assertTrue(light ? c <= 100 : c >= 155, "background channel " + c + " at " + x + "," + y + " of " + s.name());
                        }
                    }
                }
            }
            if (!Geometry.known(s.label())) {
                continue;
            }
            List<?> c = (List<?>) s.groundTruth().get("center");
            double cx = (Double) c.get(0);
            double cy = (Double) c.get(1);
            double d = Px.num(s, "diameter");
            double rot = Px.num(s, "rotation");
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    Geometry.Cover cover = Geometry.cover(s.label(), cx, cy, d, rot, x, y);
                    if (cover == Geometry.Cover.IN) {
                        assertEquals(fg, s.image().pixel(x, y), "wholly covered pixel " + x + "," + y + " of " + s.name() + " has the shape's colour");
                        assertTrue(m.pixel(x, y) != 0, "wholly covered pixel " + x + "," + y + " of " + s.name() + " is in the mask");
                        inside++;
                    } else if (cover == Geometry.Cover.OUT) {
                        assertEquals(0, m.pixel(x, y), "pixel " + x + "," + y + " outside the " + s.label() + " of " + s.name() + " is not in the mask");
                    } else if (m.pixel(x, y) != 0) {
                        rim++;
                    }
                }
            }
            checked++;
        }
        System.out.printf(Locale.ROOT, "loupe-shapes: %d images checked against closed-form geometry: %d wholly covered pixels exact, %d rim pixels in masks%n",
                checked, inside, rim);
        assertTrue(checked > 250);
        assertEquals(Set.of("plain", "gradient", "noise", "grating"), backgrounds);
    }

    @Test
    void classesAreBalanced() {
        Map<String, Integer> counts = new HashMap<>();
        Px.all(registry, "loupe-shapes:count=800,size=32", 3).forEach(s -> counts.merge(s.label(), 1, Integer::sum));
        assertEquals(8, counts.size());
        counts.values().forEach(v -> assertEquals(100, v));
        counts.clear();
        Px.all(registry, "loupe-shapes:count=103,size=32,classes=6,split=test", 3).forEach(s -> counts.merge(s.label(), 1, Integer::sum));
        assertEquals(Set.copyOf(CLASSES.subList(0, 6)), counts.keySet());
        counts.values().forEach(v -> assertTrue(v == 17 || v == 18, "count " + v));
        // and the order is not a fixed cycle
        List<String> labels = Px.all(registry, "loupe-shapes:count=16,size=32", 3).stream().map(SourceImage::label).toList();
        assertNotEquals(labels.subList(0, 8), labels.subList(8, 16));
    }

    @Test
    void deterministicAndRandomAccess() {
        List<SourceImage> a = Px.all(registry, "loupe-shapes:count=50", 7);
        List<SourceImage> b = Px.all(registry, "loupe-shapes:count=50", 7);
        List<SourceImage> c = Px.all(registry, "loupe-shapes:count=50", 8);
        for (int i = 0; i < 50; i++) {
            assertEquals(a.get(i).image(), b.get(i).image());
            assertEquals(a.get(i).groundTruth(), b.get(i).groundTruth());
            assertNotEquals(a.get(i).image(), c.get(i).image());
        }
        // image i depends only on (seed, split, i): not on count, nor on the images before it
        try (ImageSource big = registry.openImages("loupe-shapes:count=100000", 7)) {
            IndexedSource indexed = (IndexedSource) big;
            assertEquals(a.get(37).image(), indexed.get(37).image());
            assertEquals(a.get(37).groundTruth(), indexed.get(37).groundTruth());
            assertEquals(indexed.get(99_999).image(), indexed.get(99_999).image());
        }
    }

    @Test
    void splitsAreDisjoint() {
        Set<RasterImage> train = new HashSet<>();
        for (SourceImage s : Px.all(registry, "loupe-shapes:count=3000,size=32,split=train", 0)) {
            assertTrue(train.add(s.image()), "duplicate training image " + s.name());
        }
        int tested = 0;
        for (String split : new String[] {"val", "test"}) {
            for (SourceImage s : Px.all(registry, "loupe-shapes:count=1000,size=32,split=" + split, 0)) {
                assertTrue(!train.contains(s.image()), split + " image " + s.name() + " is also a training image");
                assertEquals(split, s.groundTruth().get("split"));
                tested++;
            }
        }
        System.out.printf(Locale.ROOT, "loupe-shapes: %d val/test images, none equal to any of %d training images%n", tested, train.size());
    }

    @Test
    void parameterErrorsAreClear() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.openImages("loupe-shapes:split=holdout", 0));
        assertEquals("parameter 'split' must be one of [train, val, test], got 'holdout'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.openImages("loupe-shapes:backgrounds=plain+wood", 0));
        assertEquals("parameter 'backgrounds' has an unknown kind 'wood'; kinds: plain, gradient, noise, grating", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.openImages("loupe-shapes:minSize=0.6,maxSize=0.5", 0));
        assertEquals("minSize (0.6) must not be larger than maxSize (0.5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.openImages("loupe-shapes:classes=9", 0));
        assertEquals("parameter 'classes' must be in [2, 8], got 9", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> registry.openImages("loupe-shapes:colour=red", 0));
        assertTrue(e.getMessage().startsWith("unknown parameter 'colour'; parameters are: size, count, split, classes"), e.getMessage());
    }

    @Test
    void throughput() {
        for (int size : new int[] {64, 224}) {
            int n = size == 64 ? 4000 : 500;
            // three timed rounds after a warm-up (the JIT): the machine is shared, so report each
            try (ImageSource s = registry.openImages("loupe-shapes:count=" + n + ",size=" + size, 99)) {
                s.forEach(SourceImage::image);
            }
            StringBuilder rates = new StringBuilder();
            double best = 0;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                long sum = 0;
                try (ImageSource s = registry.openImages("loupe-shapes:count=" + n + ",size=" + size, round)) {
                    for (SourceImage img : s) {
                        sum += img.image().pixel(0, 0);
                    }
                }
                double rate = n / ((System.nanoTime() - t0) / 1e9);
                best = Math.max(best, rate);
                rates.append(String.format(Locale.ROOT, " %.0f", rate));
                assertTrue(sum >= 0);
            }
            System.out.printf(Locale.ROOT, "loupe-shapes throughput at %dx%d, one thread: best %.0f images/s (rounds of %d images:%s)%n", size, size,
                    best, n, rates);
        }
    }
}

package org.loupe.stimuli.tests;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.images.ImageSource;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** Pixel helpers for the stimulus tests; everything measured here is computed independently of the code under test. */
final class Px {

    private Px() {
    }

    /** Mean of the three channels in [0, 1]. */
    static double lum(RasterImage img, int x, int y) {
        int p = img.pixel(x, y);
        return (((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255)) / 765.0;
    }

    /** Every image of a spec. */
    static List<SourceImage> all(LoupeRegistry registry, String spec, long seed) {
        List<SourceImage> out = new ArrayList<>();
        try (ImageSource s = registry.openImages(spec, seed)) {
            s.forEach(out::add);
        }
        return out;
    }

    /** The first image of a spec. */
    static SourceImage first(LoupeRegistry registry, String spec, long seed) {
        try (ImageSource s = registry.openImages(spec, seed)) {
            return s.iterator().next();
        }
    }

    /** A number from the ground truth. */
    static double num(SourceImage s, String key) {
        Object v = s.groundTruth().get(key);
        if (!(v instanceof Number n)) {
            throw new AssertionError("ground truth '" + key + "' is " + v + " in " + s.groundTruth().keySet());
        }
        return n.doubleValue();
    }

    /** Smallest absolute difference between two directions in degrees, modulo {@code period}. */
    static double angleDiff(double a, double b, double period) {
        double d = ((a - b) % period + period) % period;
        return Math.min(d, period - d);
    }

    /** Direction in degrees (counter-clockwise, y up) of a pixel-space vector (y down), in [0, 360). */
    static double direction(double dxPixels, double dyPixels) {
        double a = Math.toDegrees(Math.atan2(-dyPixels, dxPixels));
        return a < 0 ? a + 360 : a;
    }
}

package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** The high-frequency side is where the stimulus says, and both sides are textured with the same amplitude. */
class HighLowTest {

    private final LoupeRegistry registry = new LoupeRegistry();

    /** Mean squared difference of horizontally and vertically adjacent pixels in a window: high-frequency energy. */
    private static double fine(RasterImage img, double cx, double cy, int half) {
        double sum = 0;
        int k = 0;
        for (int y = (int) cy - half; y < (int) cy + half; y++) {
            for (int x = (int) cx - half; x < (int) cx + half; x++) {
                double a = Px.lum(img, x, y);
                double dx = Px.lum(img, x + 1, y) - a;
                double dy = Px.lum(img, x, y + 1) - a;
                sum += dx * dx + dy * dy;
                k++;
            }
        }
        return sum / k;
    }

    @Test
    void theFineTextureIsOnTheStatedSide() {
        int n = 128;
        double worstRatio = Double.MAX_VALUE;
        for (boolean flip : new boolean[] {false, true}) {
            for (int deg = 0; deg < 360; deg += 45) {
                double pos = 8;
                SourceImage s = Px.first(registry, String.format(Locale.ROOT, "high-low:size=%d,orientation=%d,position=%s,flip=%s", n, deg, pos, flip), deg);
                double ux = Math.cos(Math.toRadians(deg));
                double uy = -Math.sin(Math.toRadians(deg));
                double bx = n / 2.0 + pos * ux;
                double by = n / 2.0 + pos * uy;
                // windows 24 px on either side of the boundary, away from the image border
                double front = fine(s.image(), bx + 24 * ux, by + 24 * uy, 10);
                double back = fine(s.image(), bx - 24 * ux, by - 24 * uy, 10);
                double high = flip ? back : front;
                double low = flip ? front : back;
                worstRatio = Math.min(worstRatio, high / low);
                assertEquals(flip ? (deg + 180) % 360 : deg, Px.num(s, "highDirection"), 1e-12);
            }
        }
        System.out.printf(Locale.ROOT, "high-low: smallest ratio of neighbour-difference energy, high side / low side = %.1f%n", worstRatio);
        assertTrue(worstRatio > 10, "ratio " + worstRatio);
    }

    @Test
    void bothSidesAreTexturedWithTheSameAmplitude() {
        // pooled over many images, the pixel variance of the two sides agrees: only the spatial scale differs
        double[] hi = new double[2];
        double[] lo = new double[2];
        int k = 0;
        for (int seed = 0; seed < 60; seed++) {
            SourceImage s = Px.first(registry, "high-low:size=128,orientation=0,lowPeriod=24", seed);
            for (int dy = -24; dy < 24; dy += 8) {
                for (int dx = -24; dx < 24; dx += 8) {
                    double h = Px.lum(s.image(), 96 + dx, 64 + dy);
                    double l = Px.lum(s.image(), 32 + dx, 64 + dy);
                    hi[0] += h;
                    hi[1] += h * h;
                    lo[0] += l;
                    lo[1] += l * l;
                    k++;
                }
            }
        }
        double vh = hi[1] / k - (hi[0] / k) * (hi[0] / k);
        double vl = lo[1] / k - (lo[0] / k) * (lo[0] / k);
        System.out.printf(Locale.ROOT, "high-low: pixel variance high side %.4f, low side %.4f, means %.3f / %.3f%n", vh, vl, hi[0] / k, lo[0] / k);
        assertTrue(vl > 0.01, "the low-frequency side is a texture, not flat");
        assertEquals(1, vh / vl, 0.2);
        assertEquals(0.5, hi[0] / k, 0.02);
        assertEquals(0.5, lo[0] / k, 0.05);
    }
}

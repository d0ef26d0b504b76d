package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** Gratings match the closed-form sinusoid, and a DFT finds the stated frequency and orientation. */
class GratingTest {

    private final LoupeRegistry registry = new LoupeRegistry();

    /** The 2-D DFT magnitude of the mean-removed luminance at integer frequency (kx, ky) (pixel axes, y down). */
    private static double dft(double[] v, int n, int kx, int ky) {
        double re = 0;
        double im = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double a = -2 * Math.PI * (kx * x + ky * y) / n;
                re += v[y * n + x] * Math.cos(a);
                im += v[y * n + x] * Math.sin(a);
            }
        }
        return Math.hypot(re, im);
    }

    private static double[] centred(RasterImage img) {
        int n = img.width();
        double[] v = new double[n * n];
        double mean = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                v[y * n + x] = Px.lum(img, x, y);
                mean += v[y * n + x];
            }
        }
        mean /= n * n;
        for (int i = 0; i < v.length; i++) {
            v[i] -= mean;
        }
        return v;
    }

    /** The strongest non-DC frequency, as {kx, ky, magnitude}, over the half plane ky < 0 or (ky == 0, kx > 0) and its mirror. */
    private static int[] peak(RasterImage img) {
        int n = img.width();
        double[] v = centred(img);
        int[] best = null;
        double bestMag = -1;
        for (int ky = -n / 2 + 1; ky < n / 2; ky++) {
            for (int kx = -n / 2 + 1; kx < n / 2; kx++) {
                if (kx == 0 && ky == 0) {
                    continue;
                }
                double m = dft(v, n, kx, ky);
                if (m > bestMag + 1e-9) {
                    bestMag = m;
                    best = new int[] {kx, ky};
                }
            }
        }
        return best;
    }

    @Test
    void sinePixelsMatchTheClosedForm() {
        double f = 5.5;
        double theta = 20;
        double phase = 30;
        double contrast = 0.8;
        double mean = 0.45;
        int n = 64;
        SourceImage s = Px.first(registry, String.format(Locale.ROOT, "gratings:size=%d,frequency=%s,orientation=%s,phase=%s,contrast=%s,mean=%s",
                n, f, theta, phase, contrast, mean), 0);
        double max = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double u = x + 0.5 - n / 2.0;
                double v = n / 2.0 - (y + 0.5);
                double d = u * Math.cos(Math.toRadians(theta)) + v * Math.sin(Math.toRadians(theta));
                double expected = mean * (1 + contrast * Math.sin(Math.toRadians(phase) + 2 * Math.PI * f * d / n));
                max = Math.max(max, Math.abs(Px.lum(s.image(), x, y) - expected));
            }
        }
        System.out.printf(Locale.ROOT, "grating: max |pixel - closed form| = %.5f (8-bit rounding bound %.5f)%n", max, 0.5 / 255);
        assertTrue(max <= 0.5 / 255 + 1e-9, "max difference " + max);
        assertEquals(n / f, Px.num(s, "period"), 1e-12);
    }

    @Test
    void theDftPeakIsAtTheStatedFrequencyAndOrientation() {
        // wave vectors with integer components in cycles per image: (fx, fy), y up
        int[][] vectors = {{8, 0}, {0, 6}, {3, 4}, {-3, 4}, {8, 6}, {5, -5}};
        for (int[] w : vectors) {
            double f = Math.hypot(w[0], w[1]);
            double theta = Math.toDegrees(Math.atan2(w[1], w[0]));
            theta = theta < 0 ? theta + 360 : theta;
            for (String wave : new String[] {"sine", "square"}) {
                SourceImage s = Px.first(registry, String.format(Locale.ROOT, "gratings:size=32,frequency=%s,orientation=%s,wave=%s,phase=17",
                        f, theta, wave), 0);
                int[] k = peak(s.image());
                double measuredF = Math.hypot(k[0], k[1]);
                double measuredTheta = Px.direction(k[0], k[1]);
                assertEquals(f, measuredF, 1e-9, wave + " frequency of " + f + "@" + theta);
                assertEquals(0, Px.angleDiff(measuredTheta, theta, 180), 1e-6, wave + " orientation of " + f + "@" + theta + ": peak " + k[0] + "," + k[1]);
            }
        }
    }

    @Test
    void squareWavesAreTwoLevelsWithAntialiasedSteps() {
        SourceImage s = Px.first(registry, "gratings:size=64,frequency=4,orientation=0,wave=square,contrast=0.5,mean=0.5,phase=0", 0);
        // vertical stripes: columns; period 16 px, sin positive for u in (0, 8) i.e. x in 32..39
        int hi = 0;
        int lo = 0;
        for (int x = 0; x < 64; x++) {
            double u = x + 0.5 - 32;
            double s0 = Math.sin(2 * Math.PI * 4 * u / 64);
            double l = Px.lum(s.image(), x, 10);
            if (Math.abs(((u % 8) + 8) % 8) > 0.6 && Math.abs(((u % 8) + 8) % 8) < 7.4) {
                assertEquals(s0 > 0 ? 0.75 : 0.25, l, 0.5 / 255 + 1e-9, "column " + x);
                if (s0 > 0) {
                    hi++;
                } else {
                    lo++;
                }
            }
        }
        assertEquals(hi, lo);
    }
}

package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/**
 * Curves lie on the stated circle, span the stated angle, and their convex side faces the stated
 * orientation: measured from the drawn pixels against geometry computed here from the parameters.
 */
class CurveTest {

    private final LoupeRegistry registry = new LoupeRegistry();

    /** Ink (darkness) of black-on-white pixels: the antialiased coverage. */
    private static double ink(RasterImage img, int x, int y) {
        return 1 - Px.lum(img, x, y);
    }

    /** Measures a black curve on white: {centroid x, y (pixels), total ink, min and max radius of inked pixels from (cx, cy)}. */
    static double[] measure(RasterImage img, double cx, double cy) {
        double sx = 0;
        double sy = 0;
        double total = 0;
        double rmin = Double.MAX_VALUE;
        double rmax = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                double w = ink(img, x, y);
                if (w > 0) {
                    sx += w * (x + 0.5);
                    sy += w * (y + 0.5);
                    total += w;
                }
                if (w > 0.5) {
                    double r = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                    rmin = Math.min(rmin, r);
                    rmax = Math.max(rmax, r);
                }
            }
        }
        return new double[] {sx / total, sy / total, total, rmin, rmax};
    }

    @Test
    void pixelsLieOnTheCircleAndTheConvexSideFacesTheOrientation() {
        int n = 128;
        double r = 30;
        double t = 3;
        double angle = 90;
        double ox = 5;
        double oy = -7;
        double worstDirection = 0;
        double worstCentroid = 0;
        double worstArea = 0;
        for (int deg = 0; deg < 360; deg += 15) {
            SourceImage s = Px.first(registry, String.format(Locale.ROOT, "curves:size=%d,orientation=%d,radius=%s,thickness=%s,angle=%s,x=%s,y=%s",
                    n, deg, r, t, angle, ox, oy), 0);
            // the arc's midpoint is (ox, oy) from the centre, y up; the circle's centre lies radius behind it
            double mx = n / 2.0 + ox;
            double my = n / 2.0 - oy;
            double cx = mx - r * Math.cos(Math.toRadians(deg));
            double cy = my + r * Math.sin(Math.toRadians(deg));
            List<?> centre = (List<?>) s.groundTruth().get("centerPixel");
            assertEquals(cx, (Double) centre.get(0), 1e-9);
            assertEquals(cy, (Double) centre.get(1), 1e-9);
            double[] m = measure(s.image(), cx, cy);
            // every pixel that is mostly ink lies within the stroke (radius +- thickness/2, +- half a pixel diagonal)
            assertTrue(m[3] >= r - t / 2 - 0.71 && m[4] <= r + t / 2 + 0.71, "radii " + m[3] + ".." + m[4] + " at " + deg);
            // the ink centroid seen from the circle centre points at the orientation ...
            double dir = Px.direction(m[0] - cx, m[1] - cy);
            worstDirection = Math.max(worstDirection, Px.angleDiff(dir, deg, 360));
            // ... at the annular sector's centroid distance 2/3 (R^3 - r^3)/(R^2 - r^2) sin(a)/a, a = half the angle
            double ro = r + t / 2;
            double ri = r - t / 2;
            double a = Math.toRadians(angle / 2);
            double expected = 2.0 / 3 * (ro * ro * ro - ri * ri * ri) / (ro * ro - ri * ri) * Math.sin(a) / a;
            worstCentroid = Math.max(worstCentroid, Math.abs(Math.hypot(m[0] - cx, m[1] - cy) - expected));
            // the total ink is the sector's area: a (R^2 - r^2)
            double area = a * (ro * ro - ri * ri);
            worstArea = Math.max(worstArea, Math.abs(m[2] - area) / area);
        }
        System.out.printf(Locale.ROOT, "curves: worst convex-side direction error %.3f deg, centroid distance error %.3f px, ink area error %.3f%%%n",
                worstDirection, worstCentroid, 100 * worstArea);
        assertTrue(worstDirection < 0.5, "direction error " + worstDirection);
        assertTrue(worstCentroid < 0.2, "centroid error " + worstCentroid);
        assertTrue(worstArea < 0.01, "area error " + worstArea);
    }

    @Test
    void theArcSpansTheStatedAngle() {
        int n = 160;
        double r = 50;
        for (double angle : new double[] {40, 120, 200}) {
            SourceImage s = Px.first(registry, String.format(Locale.ROOT, "curves:size=%d,orientation=90,radius=%s,thickness=2,angle=%s", n, r, angle), 0);
            double cx = n / 2.0;
            double cy = n / 2.0 + r;
            // angular extent of mostly-ink pixels around the centre, relative to "up" (90 degrees)
            double lo = 0;
            double hi = 0;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (ink(s.image(), x, y) > 0.5) {
                        double d = Px.direction(x + 0.5 - cx, y + 0.5 - cy) - 90;
                        d = d > 180 ? d - 360 : d;
                        lo = Math.min(lo, d);
                        hi = Math.max(hi, d);
                    }
                }
            }
            // pixels straddle the butt ends by at most a pixel: 1/r radians
            double slack = Math.toDegrees(1.0 / (r - 1));
            assertEquals(-angle / 2, lo, slack, "start of a " + angle + " degree arc");
            assertEquals(angle / 2, hi, slack, "end of a " + angle + " degree arc");
        }
    }

    @Test
    void maskAndBoxAreWhereTheCurveIs() {
        SourceImage s = Px.first(registry, "curves:size=96,orientation=200,radius=25,background=noise,noise=0.2,color=red", 3);
        RasterImage mask = (RasterImage) s.groundTruth().get("mask");
        @SuppressWarnings("unchecked")
        List<Integer> box = (List<Integer>) s.groundTruth().get("bbox");
        int area = 0;
        int x0 = 96;
        int y0 = 96;
        int x1 = 0;
        int y1 = 0;
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                if (mask.pixel(x, y) != 0) {
                    area++;
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x + 1);
                    y1 = Math.max(y1, y + 1);
                    assertEquals(0xFFFFFF, mask.pixel(x, y));
                }
            }
        }
        assertEquals(List.of(x0, y0, x1, y1), box);
        assertEquals(area, Px.num(s, "area"));
        // the red curve: inside the mask the red channel dominates on a light noisy background, and the
        // mask's red-dominant pixels sit near the circle
        double cx = ((List<?>) s.groundTruth().get("centerPixel")).stream().mapToDouble(o -> (Double) o).toArray()[0];
        double cy = ((List<?>) s.groundTruth().get("centerPixel")).stream().mapToDouble(o -> (Double) o).toArray()[1];
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                if (mask.pixel(x, y) != 0) {
                    double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                    assertTrue(Math.abs(d - 25) <= 2 + 0.71, "mask pixel " + x + "," + y + " at radius " + d);
                }
            }
        }
    }
}

package org.loupe.stimuli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/** Lines and edges sit at the stated position and orientation with the stated luminances. */
class LineEdgeTest {

    private final LoupeRegistry registry = new LoupeRegistry();

    @Test
    void aLineHasItsStatedCentreDirectionAreaAndContrast() {
        int n = 96;
        double length = 60;
        double thick = 4;
        double worstCentre = 0;
        double worstDir = 0;
        double worstArea = 0;
        for (int deg = 0; deg < 180; deg += 20) {
            double pos = 9;
            SourceImage s = Px.first(registry, String.format(Locale.ROOT, "lines:size=%d,orientation=%d,position=%s,length=%s,thickness=%s,mean=0.5,contrast=0.6",
                    n, deg, pos, length, thick), 0);
            double bg = Math.round(0.5 * 255) / 255.0;
            double line = Math.round(0.5 * (1 + 0.6) * 255) / 255.0;
            double sx = 0;
            double sy = 0;
            double total = 0;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double c = (Px.lum(s.image(), x, y) - bg) / (line - bg);
                    if (c > 1e-9) {
                        sx += c * (x + 0.5);
                        sy += c * (y + 0.5);
                        total += c;
                    }
                }
            }
            double mx = sx / total;
            double my = sy / total;
            double sxx = 0;
            double syy = 0;
            double sxy = 0;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double c = Math.max(0, (Px.lum(s.image(), x, y) - bg) / (line - bg));
                    sxx += c * (x + 0.5 - mx) * (x + 0.5 - mx);
                    syy += c * (y + 0.5 - my) * (y + 0.5 - my);
                    sxy += c * (x + 0.5 - mx) * (y + 0.5 - my);
                }
            }
            // the principal axis of the ink is the line's direction: the normal (orientation) plus 90 degrees
            double axis = Math.toDegrees(0.5 * Math.atan2(-2 * sxy, sxx - syy));
            double ex = n / 2.0 + pos * Math.cos(Math.toRadians(deg));
            double ey = n / 2.0 - pos * Math.sin(Math.toRadians(deg));
            worstCentre = Math.max(worstCentre, Math.hypot(mx - ex, my - ey));
            worstDir = Math.max(worstDir, Px.angleDiff(axis, deg + 90, 180));
            worstArea = Math.max(worstArea, Math.abs(total - length * thick) / (length * thick));
            assertEquals(line, Px.num(s, "lineLuminance"), 1e-12);
        }
        System.out.printf(Locale.ROOT, "lines: worst centre error %.3f px, direction error %.3f deg, area error %.3f%%%n", worstCentre, worstDir,
                100 * worstArea);
        assertTrue(worstCentre < 0.1, "centre " + worstCentre);
        assertTrue(worstDir < 0.3, "direction " + worstDir);
        assertTrue(worstArea < 0.01, "area " + worstArea);
    }

    /** The area of the square [0, n]^2 on the side {@code (p - b) . u > 0}, by clipping the square (Sutherland-Hodgman). */
    private static double halfPlaneArea(int n, double bx, double by, double ux, double uy) {
        List<double[]> poly = List.of(new double[] {0, 0}, new double[] {n, 0}, new double[] {n, n}, new double[] {0, n});
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < poly.size(); i++) {
            double[] a = poly.get(i);
            double[] b = poly.get((i + 1) % poly.size());
            double da = (a[0] - bx) * ux + (a[1] - by) * uy;
            double db = (b[0] - bx) * ux + (b[1] - by) * uy;
            if (da >= 0) {
                out.add(a);
            }
            if ((da >= 0) != (db >= 0)) {
                double t = da / (da - db);
                out.add(new double[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])});
            }
        }
        double area = 0;
        for (int i = 0; i < out.size(); i++) {
            double[] a = out.get(i);
            double[] b = out.get((i + 1) % out.size());
            area += a[0] * b[1] - b[0] * a[1];
        }
        return Math.abs(area) / 2;
    }

    @Test
    void anEdgeStepsAtTheStatedPositionAndOrientation() {
        int n = 64;
        double worstPos = 0;
        double worstDir = 0;
        for (int deg = 0; deg < 360; deg += 30) {
            double pos = -6.5;
            SourceImage s = Px.first(registry, String.format(Locale.ROOT, "edges:size=%d,orientation=%d,position=%s,mean=0.5,contrast=0.8", n, deg, pos), 0);
            RasterImage img = s.image();
            // the documented luminances mean * (1 +- contrast), rounded to 8 bits
            double s1 = Math.round(0.5 * (1 + 0.8) * 255) / 255.0;
            double s2 = Math.round(0.5 * (1 - 0.8) * 255) / 255.0;
            double ux = Math.cos(Math.toRadians(deg));
            double uy = -Math.sin(Math.toRadians(deg));
            double bx = n / 2.0 + pos * ux;
            double by = n / 2.0 + pos * uy;
            double covered = 0;
            double gx = 0;
            double gy = 0;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double l = Px.lum(img, x, y);
                    double d = (x + 0.5 - bx) * ux + (y + 0.5 - by) * uy;
                    if (d > 0.71) {
                        assertEquals(s1, l, 1e-12, "first side at " + x + "," + y + " orientation " + deg);
                    } else if (d < -0.71) {
                        assertEquals(s2, l, 1e-12, "second side at " + x + "," + y + " orientation " + deg);
                    }
                    covered += (l - s2) / (s1 - s2);
                    if (x > 0 && x < n - 1 && y > 0 && y < n - 1) {
                        gx += Px.lum(img, x + 1, y) - Px.lum(img, x - 1, y);
                        gy += Px.lum(img, x, y + 1) - Px.lum(img, x, y - 1);
                    }
                }
            }
            // the covered area fixes the boundary's position: its error is the area error over the chord length
            double area = halfPlaneArea(n, bx, by, ux, uy);
            double chord = (halfPlaneArea(n, bx - 0.5 * ux, by - 0.5 * uy, ux, uy) - halfPlaneArea(n, bx + 0.5 * ux, by + 0.5 * uy, ux, uy));
            worstPos = Math.max(worstPos, Math.abs(covered - area) / chord);
            // the mean luminance gradient points into the first (bright) side
            worstDir = Math.max(worstDir, Px.angleDiff(Px.direction(gx, gy), deg, 360));
        }
        System.out.printf(Locale.ROOT, "edges: worst boundary position error %.4f px, gradient direction error %.3f deg%n", worstPos, worstDir);
        assertTrue(worstPos < 0.05, "position " + worstPos);
        assertTrue(worstDir < 1, "direction " + worstDir);
    }

    @Test
    void edgeColoursReplaceTheLuminances() {
        SourceImage s = Px.first(registry, "edges:size=32,orientation=90,color1=red,color2=#00f", 0);
        assertEquals(0xFF0000, s.image().pixel(16, 2), "top is the first side at 90 degrees");
        assertEquals(0x0000FF, s.image().pixel(16, 29));
        assertEquals("#ff0000", s.groundTruth().get("side1"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Px.first(registry, "edges:color1=red", 0));
        assertEquals("give both color1 and color2, or neither", e.getMessage());
    }
}

package org.loupe.stimuli.tests;

/**
 * Independent closed-form geometry of the documented shapes (circle, ring, square, triangle,
 * hexagon), to decide for a pixel whether a shape surely covers it wholly or surely misses it.
 */
final class Geometry {

    /** Wholly covered, wholly outside, or neither (the antialiased rim). */
    enum Cover {
        IN, OUT, RIM
    }

    private static final double HALF_DIAGONAL = Math.sqrt(0.5) + 1e-6;
    /**
     * How far (pixels) a pixel must be inside or outside an outline to count as wholly covered or
     * missed: Java2D's antialiasing rasteriser rounds edges to a grid of 1/8 pixel rows and draws
     * circles as cubic Beziers (radial error 2.7e-4 r).
     */
    private static final double MARGIN = 0.15;

    private Geometry() {
    }

    /** True if the shape's geometry is known here. */
    static boolean known(String shape) {
        return switch (shape) {
            case "circle", "ring", "square", "triangle", "hexagon" -> true;
            default -> false;
        };
    }

    /**
     * Pixel (x, y) against a shape of diameter {@code d} centred at pixel coordinates (cx, cy),
     * rotated {@code rot} degrees counter-clockwise.
     */
    static Cover cover(String shape, double cx, double cy, double d, double rot, int x, int y) {
        double r = d / 2;
        double px = x + 0.5;
        double py = y + 0.5;
        double far = 0;
        for (int i = 0; i < 4; i++) {
            far = Math.max(far, Math.hypot(x + (i & 1) - cx, y + (i >> 1) - cy));
        }
        double near = Math.hypot(Math.max(Math.max(x - cx, 0), cx - (x + 1)), Math.max(Math.max(y - cy, 0), cy - (y + 1)));
        switch (shape) {
            case "circle":
                return far <= r - MARGIN ? Cover.IN : near >= r + MARGIN ? Cover.OUT : Cover.RIM;
            case "ring": {
                double ri = 0.55 * r;
                if (far <= r - MARGIN && near >= ri + MARGIN) {
                    return Cover.IN;
                }
                return near >= r + MARGIN || far <= ri - MARGIN ? Cover.OUT : Cover.RIM;
            }
            case "square":
                return polygon(4, 45, r, cx, cy, rot, x, y, px, py);
            case "triangle":
                return polygon(3, 90, r, cx, cy, rot, x, y, px, py);
            case "hexagon":
                return polygon(6, 0, r, cx, cy, rot, x, y, px, py);
            default:
                throw new IllegalArgumentException(shape);
        }
    }

    /** A regular polygon with vertices on the circle of radius r, the first at {@code start + rot} degrees (y up). */
    private static Cover polygon(int n, double start, double r, double cx, double cy, double rot, int x, int y, double px, double py) {
        double[] vx = new double[n];
        double[] vy = new double[n];
        for (int k = 0; k < n; k++) {
            double a = Math.toRadians(start + rot + 360.0 * k / n);
            vx[k] = cx + r * Math.cos(a);
            vy[k] = cy - r * Math.sin(a);
        }
        // signed distance of a point outside each edge line (positive = outside); polygon is convex
        double worstCorner = Double.NEGATIVE_INFINITY;
        double centreOut = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double ax = vx[k];
            double ay = vy[k];
            double bx = vx[(k + 1) % n];
            double by = vy[(k + 1) % n];
            double ex = bx - ax;
            double ey = by - ay;
            double len = Math.hypot(ex, ey);
            // outward normal: the centre is inside, so flip the normal to point away from it
            double nx = ey / len;
            double ny = -ex / len;
            if ((cx - ax) * nx + (cy - ay) * ny > 0) {
                nx = -nx;
                ny = -ny;
            }
            for (int i = 0; i < 4; i++) {
                worstCorner = Math.max(worstCorner, (x + (i & 1) - ax) * nx + (y + (i >> 1) - ay) * ny);
            }
            centreOut = Math.max(centreOut, (px - ax) * nx + (py - ay) * ny);
        }
        if (worstCorner <= -MARGIN) {
            return Cover.IN;
        }
        return centreOut >= HALF_DIAGONAL + MARGIN ? Cover.OUT : Cover.RIM;
    }
}

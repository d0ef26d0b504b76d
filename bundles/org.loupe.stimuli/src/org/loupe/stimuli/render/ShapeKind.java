package org.loupe.stimuli.render;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/**
 * The solid shapes Loupe draws. Each outline is defined in unit coordinates (x right, y down,
 * origin at the shape's centre) and touches the unit circle from inside, so a shape drawn with
 * diameter {@code d} fits exactly in a circle of diameter {@code d} around its centre, whatever the
 * rotation:
 * <ul>
 * <li>circle: radius 1</li>
 * <li>square: corners on the circle (half side 1/sqrt 2)</li>
 * <li>triangle: equilateral, vertices on the circle, one pointing up</li>
 * <li>star: five points on the circle, inner vertices at radius 0.42</li>
 * <li>cross: a plus sign, arms 0.6 wide reaching to the circle</li>
 * <li>ring: outer radius 1, inner radius 0.55</li>
 * <li>crescent: the unit disk minus a disk of radius 0.8 centred at (0.4, 0) (opening to the right)</li>
 * <li>heart: two lobes up, the tip down</li>
 * <li>hexagon: vertices on the circle, two of them left and right</li>
 * </ul>
 * The first eight are the classes of the Loupe Shapes dataset, in this order.
 *
 * @since 0.1
 */
public enum ShapeKind {
    /** A disk. */
    CIRCLE,
    /** A square. */
    SQUARE,
    /** An equilateral triangle. */
    TRIANGLE,
    /** A five-pointed star. */
    STAR,
    /** A plus sign. */
    CROSS,
    /** An annulus. */
    RING,
    /** A crescent moon. */
    CRESCENT,
    /** A heart. */
    HEART,
    /** A regular hexagon. */
    HEXAGON;

    /** Inner radius of the ring, as a fraction of the outer radius. */
    public static final double RING_INNER = 0.55;
    /** Inner radius of the star's vertices. */
    public static final double STAR_INNER = 0.42;
    /** Half the width of the cross's arms. */
    public static final double CROSS_HALF_WIDTH = 0.3;

    private final Shape unit = build(name());

    /** The lower-case name used in parameters, labels and ground truth. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outline in unit coordinates (see the class comment); a copy. */
    public Shape unit() {
        return new Path2D.Double(unit);
    }

    /**
     * The outline placed on an image.
     *
     * @param cx       centre x in pixel coordinates (right)
     * @param cy       centre y in pixel coordinates (down)
     * @param radius   half the diameter of the circle the shape fits in, in pixels
     * @param rotation counter-clockwise rotation on screen, in degrees
     */
    public Shape placed(double cx, double cy, double radius, double rotation) {
        AffineTransform at = new AffineTransform();
        at.translate(cx, cy);
        at.rotate(-Math.toRadians(rotation));
        at.scale(radius, radius);
        return at.createTransformedShape(unit);
    }

    private static Shape build(String name) {
        switch (name) {
            case "CIRCLE":
                return new Ellipse2D.Double(-1, -1, 2, 2);
            case "SQUARE": {
                double h = Math.sqrt(0.5);
                return new Rectangle2D.Double(-h, -h, 2 * h, 2 * h);
            }
            case "TRIANGLE":
                return polygon(3, 1, 1, -90);
            case "STAR":
                return polygon(5, 1, STAR_INNER, -90);
            case "CROSS": {
                double w = CROSS_HALF_WIDTH;
                double l = Math.sqrt(1 - w * w);
                Path2D.Double p = new Path2D.Double();
                double[][] pts = {{-w, -l}, {w, -l}, {w, -w}, {l, -w}, {l, w}, {w, w}, {w, l}, {-w, l}, {-w, w}, {-l, w}, {-l, -w}, {-w, -w}};
                p.moveTo(pts[0][0], pts[0][1]);
                for (int i = 1; i < pts.length; i++) {
                    p.lineTo(pts[i][0], pts[i][1]);
                }
                p.closePath();
                return p;
            }
            case "RING": {
                Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
                a.subtract(new Area(new Ellipse2D.Double(-RING_INNER, -RING_INNER, 2 * RING_INNER, 2 * RING_INNER)));
                return a;
            }
            case "CRESCENT": {
                Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
                a.subtract(new Area(new Ellipse2D.Double(0.4 - 0.8, -0.8, 1.6, 1.6)));
                return a;
            }
            case "HEART":
                return heart();
            case "HEXAGON":
                return polygon(6, 1, 1, 0);
            default:
                throw new IllegalStateException(name);
        }
    }

    /** A regular polygon ({@code inner == outer}) or star with {@code n} points. */
    private static Shape polygon(int n, double outer, double inner, double startDegrees) {
        Path2D.Double p = new Path2D.Double();
        int vertices = inner == outer ? n : 2 * n;
        for (int i = 0; i < vertices; i++) {
            double r = inner == outer || i % 2 == 0 ? outer : inner;
            double a = Math.toRadians(startDegrees + 360.0 * i / vertices);
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** Two lobes and a tip, centred on its bounding box and scaled to touch the unit circle. */
    private static Shape heart() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, 1);
        p.curveTo(-0.35, 0.62, -1, 0.25, -1, -0.25);
        p.curveTo(-1, -0.8, -0.3, -1.0, 0, -0.45);
        p.curveTo(0.3, -1.0, 1, -0.8, 1, -0.25);
        p.curveTo(1, 0.25, 0.35, 0.62, 0, 1);
        p.closePath();
        Rectangle2D b = p.getBounds2D();
        AffineTransform centre = AffineTransform.getTranslateInstance(-b.getCenterX(), -b.getCenterY());
        Shape centred = centre.createTransformedShape(p);
        double max = 0;
        double[] c = new double[6];
        for (PathIterator it = centred.getPathIterator(null, 1e-5); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            if (type != PathIterator.SEG_CLOSE) {
                max = Math.max(max, Math.hypot(c[0], c[1]));
            }
        }
        return AffineTransform.getScaleInstance(1 / max, 1 / max).createTransformedShape(centred);
    }
}

package org.loupe.stimuli.synth;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.stimuli.render.Background;
import org.loupe.stimuli.render.BackgroundKind;
import org.loupe.stimuli.render.Colors;

/**
 * Curve stimuli as in the Circuits thread's study of curve detectors (Cammarata et al. 2020): an
 * arc of a circle, stroked with butt ends, whose midpoint sits at {@code (x, y)} from the image
 * centre and whose convex side faces {@code orientation}. The circle's centre is therefore
 * {@code radius} behind the midpoint, opposite to {@code orientation}, and the arc spans
 * {@code orientation +- angle / 2} as seen from it. Sweeping {@code orientation} over 0..360 gives
 * the radial tuning curve of a curve detector.
 *
 * <p>Ground truth beyond the parameters: {@code curvature} (1/radius), {@code centerPixel} (the
 * circle's centre) and {@code midpointPixel} in pixel coordinates, and the figure's {@code mask},
 * {@code area} and {@code bbox} ({@link org.loupe.stimuli.render.Figure}).
 *
 * @since 0.1
 */
public class CurveSource extends StimulusSource<CurveSource.Params> {

    /**
     * Parameters (the frame is described in {@link Frame}).
     *
     * @param count       number of images
     * @param size        width and height in pixels
     * @param vary        parameters drawn at random per image ({@link Variation})
     * @param orientation the direction the convex side faces, degrees counter-clockwise from right
     * @param radius      the circle's radius in pixels
     * @param angle       the angle the arc spans, degrees
     * @param thickness   the stroke width in pixels
     * @param x           the arc midpoint's offset from the image centre, pixels to the right
     * @param y           the arc midpoint's offset from the image centre, pixels up
     * @param color       the curve's colour
     * @param bg          the background colour
     * @param background  the background kind
     * @param noise       the strength of gradient, noise and grating backgrounds
     */
    public record Params(
            @Param(value = "number of images", min = 1, max = 1_000_000) int count,
            @Param(value = "width and height in pixels", min = 8, max = 1024) int size,
            @Param(Common.VARY) String vary,
            @Param(value = "direction the convex side faces, degrees counter-clockwise from right (90 = up)", min = 0, max = 360) double orientation,
            @Param(value = "radius of the circle in pixels (curvature = 1/radius)", min = 1, max = 100_000) double radius,
            @Param(value = "angle the arc spans, degrees", min = 1, max = 360) double angle,
            @Param(value = "stroke width in pixels", min = 0.5, max = 256) double thickness,
            @Param(value = "arc midpoint right of the image centre, pixels", min = -1024, max = 1024) double x,
            @Param(value = "arc midpoint above the image centre, pixels", min = -1024, max = 1024) double y,
            @Param("curve colour: #rrggbb or a name") String color,
            @Param("background colour: #rrggbb or a name") String bg,
            @Param("background kind") BackgroundKind background,
            @Param(value = "strength of gradient, noise and grating backgrounds", min = 0, max = 1) double noise)
            implements StimulusParameters, Validating {

        @Override
        public void validate() {
            Colors.parse(color, "color");
            Colors.parse(bg, "bg");
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1, 224, "", 0, 50, 90, 4, 0, 0, "black", "white", BackgroundKind.PLAIN, 0.3);
    }

    @Override
    protected String kind() {
        return "curve";
    }

    @Override
    protected String describe(Params p) {
        return "curves of " + p.size() + "x" + p.size() + " (orientation " + p.orientation() + ", radius " + p.radius() + ", angle " + p.angle() + ")";
    }

    @Override
    protected Map<String, double[]> drawRanges(Params p) {
        double s = p.size();
        return Map.of("orientation", new double[] {0, 360}, "radius", new double[] {s / 10, s / 2}, "angle", new double[] {45, 180},
                "thickness", new double[] {1, Math.max(1, s / 32)}, "x", new double[] {-s / 8, s / 8}, "y", new double[] {-s / 8, s / 8},
                "noise", new double[] {0, 0.5});
    }

    @Override
    protected Drawn draw(Params p, SplittableRandom random) {
        int size = p.size();
        double mx = Frame.px(size, p.x());
        double my = Frame.py(size, p.y());
        double cx = mx - p.radius() * Frame.dx(p.orientation());
        double cy = my - p.radius() * Frame.dy(p.orientation());
        double r = p.radius();
        Arc2D arc = new Arc2D.Double(cx - r, cy - r, 2 * r, 2 * r, p.orientation() - p.angle() / 2, p.angle(), Arc2D.OPEN);
        Shape stroke = new BasicStroke((float) p.thickness(), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER).createStrokedShape(arc);
        int[] bg = Background.of(p.background(), Colors.parse(p.bg(), "bg"), p.noise()).render(size, size, random);
        return Painter.figure(size, bg, Colors.parse(p.color(), "color"), stroke, null,
                Map.of("curvature", 1 / r, "centerPixel", Common.point(cx, cy), "midpointPixel", Common.point(mx, my)));
    }
}

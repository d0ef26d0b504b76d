package org.loupe.stimuli.synth;

import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.stimuli.render.Background;
import org.loupe.stimuli.render.BackgroundKind;
import org.loupe.stimuli.render.Colors;
import org.loupe.stimuli.render.ShapeKind;

/**
 * One solid shape ({@link ShapeKind}: circle, square, triangle, star, cross, ring, crescent,
 * heart, hexagon) of a colour, on a plain, gradient, noise or grating background. The shape fits
 * in a circle of {@code diameter} pixels centred {@code (x, y)} from the image centre, rotated
 * counter-clockwise by {@code rotation} degrees. The image's label is the shape's name.
 *
 * <p>Ground truth beyond the parameters: {@code centerPixel}, and the figure's {@code mask},
 * {@code area} and {@code bbox} ({@link org.loupe.stimuli.render.Figure}): exactly the pixels the
 * shape changed.
 *
 * @since 0.1
 */
public class ShapeSource extends StimulusSource<ShapeSource.Params> {

    /**
     * Parameters (the frame is described in {@link Frame}).
     *
     * @param count      number of images
     * @param size       width and height in pixels
     * @param vary       parameters drawn at random per image ({@link Variation})
     * @param shape      the shape
     * @param diameter   the diameter of the circle the shape fits in, pixels
     * @param rotation   counter-clockwise rotation, degrees
     * @param x          the centre's offset from the image centre, pixels to the right
     * @param y          the centre's offset from the image centre, pixels up
     * @param color      the shape's colour
     * @param bg         the background colour
     * @param background the background kind
     * @param noise      the strength of gradient, noise and grating backgrounds
     */
    public record Params(
            @Param(value = "number of images", min = 1, max = 1_000_000) int count,
            @Param(value = "width and height in pixels", min = 8, max = 1024) int size,
            @Param(Common.VARY) String vary,
            @Param("the shape") ShapeKind shape,
            @Param(value = "diameter of the circle the shape fits in, pixels", min = 1, max = 10_000) double diameter,
            @Param(value = "counter-clockwise rotation, degrees", min = -360, max = 360) double rotation,
            @Param(value = "centre right of the image centre, pixels", min = -1024, max = 1024) double x,
            @Param(value = "centre above the image centre, pixels", min = -1024, max = 1024) double y,
            @Param("shape colour: #rrggbb or a name") String color,
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
        return new Params(1, 224, "", ShapeKind.CIRCLE, 100, 0, 0, 0, "black", "white", BackgroundKind.PLAIN, 0.3);
    }

    @Override
    protected String kind() {
        return "shape";
    }

    @Override
    protected String describe(Params p) {
        return p.shape().id() + " images of " + p.size() + "x" + p.size() + " (diameter " + p.diameter() + ", " + p.background().id() + " background)";
    }

    @Override
    protected Map<String, double[]> drawRanges(Params p) {
        double s = p.size();
        return Map.of("diameter", new double[] {s / 8, s / 2}, "rotation", new double[] {0, 360}, "x", new double[] {-s / 4, s / 4},
                "y", new double[] {-s / 4, s / 4}, "noise", new double[] {0, 0.5});
    }

    @Override
    protected Drawn draw(Params p, SplittableRandom random) {
        int size = p.size();
        double cx = Frame.px(size, p.x());
        double cy = Frame.py(size, p.y());
        int[] bg = Background.of(p.background(), Colors.parse(p.bg(), "bg"), p.noise()).render(size, size, random);
        return Painter.figure(size, bg, Colors.parse(p.color(), "color"), p.shape().placed(cx, cy, p.diameter() / 2, p.rotation()),
                p.shape().id(), Map.of("centerPixel", Common.point(cx, cy)));
    }
}

package org.loupe.stimuli.synth;

import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.RasterImage;
import org.loupe.stimuli.render.Canvas;
import org.loupe.stimuli.render.Colors;

/**
 * A step edge: the image is split by a straight boundary into two sides. {@code orientation} is the
 * direction across the boundary pointing into the first side (so 0 gives a vertical edge with the
 * first side on the right), {@code position} moves the boundary along it from the image centre.
 * The sides have luminances {@code mean * (1 + contrast)} (first) and {@code mean * (1 - contrast)}
 * (second), Michelson contrast, clipped to [0, 1]; or the colours {@code color1} and
 * {@code color2} when both are given. The boundary is antialiased.
 *
 * <p>Ground truth beyond the parameters: {@code side1} and {@code side2}, the two colours as drawn
 * ({@code #rrggbb}), and {@code boundaryPixel}, the boundary point nearest the image centre.
 *
 * @since 0.1
 */
public class EdgeSource extends StimulusSource<EdgeSource.Params> {

    /**
     * Parameters (the frame is described in {@link Frame}).
     *
     * @param count       number of images
     * @param size        width and height in pixels
     * @param vary        parameters drawn at random per image ({@link Variation})
     * @param orientation the direction across the boundary into the first side
     * @param position    the offset of the boundary from the image centre along {@code orientation}, pixels
     * @param mean        the mean luminance of the two sides
     * @param contrast    the Michelson contrast between the sides
     * @param color1      the first side's colour, overriding the luminances (with {@code color2}); empty for none
     * @param color2      the second side's colour; empty for none
     */
    public record Params(
            @Param(value = "number of images", min = 1, max = 1_000_000) int count,
            @Param(value = "width and height in pixels", min = 8, max = 1024) int size,
            @Param(Common.VARY) String vary,
            @Param(value = "direction across the boundary into the first side, degrees counter-clockwise from right (0 = vertical edge)", min = 0, max = 360) double orientation,
            @Param(value = "offset of the boundary from the image centre along orientation, pixels", min = -1024, max = 1024) double position,
            @Param(value = "mean luminance of the two sides", min = 0, max = 1) double mean,
            @Param(value = "Michelson contrast: the sides are mean * (1 +- contrast)", min = -1, max = 1) double contrast,
            @Param("first side's colour instead of the luminance (needs color2), or empty") String color1,
            @Param("second side's colour instead of the luminance (needs color1), or empty") String color2)
            implements StimulusParameters, Validating {

        @Override
        public void validate() {
            if (color1.isBlank() != color2.isBlank()) {
                throw new IllegalArgumentException("give both color1 and color2, or neither");
            }
            if (!color1.isBlank()) {
                Colors.parse(color1, "color1");
                Colors.parse(color2, "color2");
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1, 224, "", 0, 0, 0.5, 1, "", "");
    }

    @Override
    protected String kind() {
        return "edge";
    }

    @Override
    protected String describe(Params p) {
        return "edges of " + p.size() + "x" + p.size() + " (orientation " + p.orientation() + ", position " + p.position() + ")";
    }

    @Override
    protected Map<String, double[]> drawRanges(Params p) {
        double s = p.size();
        return Map.of("orientation", new double[] {0, 360}, "position", new double[] {-s / 4, s / 4}, "contrast", new double[] {0.1, 1});
    }

    @Override
    protected Drawn draw(Params p, SplittableRandom random) {
        int size = p.size();
        boolean colours = !p.color1().isBlank();
        int c1 = colours ? Colors.parse(p.color1(), "color1") : Colors.gray(p.mean() * (1 + p.contrast()));
        int c2 = colours ? Colors.parse(p.color2(), "color2") : Colors.gray(p.mean() * (1 - p.contrast()));
        double nx = Frame.dx(p.orientation());
        double ny = Frame.dy(p.orientation());
        double bx = size / 2.0 + p.position() * nx;
        double by = size / 2.0 + p.position() * ny;
        double far = 4.0 * size;
        Path2D.Double half = new Path2D.Double();
        half.moveTo(bx + far * ny, by - far * nx);
        half.lineTo(bx - far * ny, by + far * nx);
        half.lineTo(bx - far * ny + far * nx, by + far * nx + far * ny);
        half.lineTo(bx + far * ny + far * nx, by - far * nx + far * ny);
        half.closePath();
        RasterImage image;
        try (Canvas c = new Canvas(size, size)) {
            c.graphics().setColor(new Color(c2));
            c.graphics().fillRect(0, 0, size, size);
            c.graphics().setColor(new Color(c1));
            c.graphics().fill(half);
            image = c.toRaster();
        }
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("side1", Colors.format(c1));
        truth.put("side2", Colors.format(c2));
        truth.put("boundaryPixel", Common.point(bx, by));
        return new Drawn(image, null, truth);
    }
}

package org.loupe.stimuli.synth;

import java.awt.geom.Path2D;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.stimuli.render.Colors;

/**
 * A gray line segment on a gray background. Like edges and gratings, a line's {@code orientation}
 * is the direction across it (its normal), so 0 gives a vertical line and 90 a horizontal one;
 * {@code position} moves it along that direction from the image centre and {@code shift} along
 * itself. The background has luminance {@code mean} and the line {@code mean * (1 + contrast)}
 * (Weber contrast; clipped to [0, 1]): contrast 1 on the default mean 0.5 is a white line, -1 a
 * black one.
 *
 * <p>Ground truth beyond the parameters: {@code lineLuminance} and {@code backgroundLuminance} (as
 * drawn, 8-bit rounded, in [0, 1]), {@code centerPixel}, and the figure's {@code mask},
 * {@code area} and {@code bbox} ({@link org.loupe.stimuli.render.Figure}).
 *
 * @since 0.1
 */
public class LineSource extends StimulusSource<LineSource.Params> {

    /**
     * Parameters (the frame is described in {@link Frame}).
     *
     * @param count       number of images
     * @param size        width and height in pixels
     * @param vary        parameters drawn at random per image ({@link Variation})
     * @param orientation the direction across the line, degrees counter-clockwise from right
     * @param position    the offset of the line from the image centre along {@code orientation}, pixels
     * @param shift       the offset of the segment's middle along the line, pixels
     * @param length      the segment's length in pixels
     * @param thickness   the line's width in pixels
     * @param mean        the background luminance
     * @param contrast    the Weber contrast of the line against the background
     */
    public record Params(
            @Param(value = "number of images", min = 1, max = 1_000_000) int count,
            @Param(value = "width and height in pixels", min = 8, max = 1024) int size,
            @Param(Common.VARY) String vary,
            @Param(value = "direction across the line, degrees counter-clockwise from right (0 = vertical line)", min = 0, max = 360) double orientation,
            @Param(value = "offset of the line from the image centre along orientation, pixels", min = -1024, max = 1024) double position,
            @Param(value = "offset of the segment's middle along the line, pixels", min = -1024, max = 1024) double shift,
            @Param(value = "length in pixels", min = 0, max = 100_000) double length,
            @Param(value = "width in pixels", min = 0.5, max = 1024) double thickness,
            @Param(value = "background luminance", min = 0, max = 1) double mean,
            @Param(value = "Weber contrast: the line is mean * (1 + contrast)", min = -1, max = 100) double contrast)
            implements StimulusParameters {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1, 224, "", 0, 0, 0, 120, 3, 0.5, 1);
    }

    @Override
    protected String kind() {
        return "line";
    }

    @Override
    protected String describe(Params p) {
        return "lines of " + p.size() + "x" + p.size() + " (orientation " + p.orientation() + ", length " + p.length() + ", contrast " + p.contrast() + ")";
    }

    @Override
    protected Map<String, double[]> drawRanges(Params p) {
        double s = p.size();
        return Map.of("orientation", new double[] {0, 180}, "position", new double[] {-s / 4, s / 4}, "shift", new double[] {-s / 8, s / 8},
                "length", new double[] {s / 8, s}, "thickness", new double[] {1, Math.max(1, s / 32)}, "contrast", new double[] {-1, 1});
    }

    @Override
    protected Drawn draw(Params p, SplittableRandom random) {
        int size = p.size();
        double nx = Frame.dx(p.orientation());
        double ny = Frame.dy(p.orientation());
        double tx = -ny;
        double ty = nx;
        double cx = size / 2.0 + p.position() * nx + p.shift() * tx;
        double cy = size / 2.0 + p.position() * ny + p.shift() * ty;
        double hl = p.length() / 2;
        double ht = p.thickness() / 2;
        Path2D.Double rect = new Path2D.Double();
        rect.moveTo(cx - hl * tx - ht * nx, cy - hl * ty - ht * ny);
        rect.lineTo(cx + hl * tx - ht * nx, cy + hl * ty - ht * ny);
        rect.lineTo(cx + hl * tx + ht * nx, cy + hl * ty + ht * ny);
        rect.lineTo(cx - hl * tx + ht * nx, cy - hl * ty + ht * ny);
        rect.closePath();
        int bgColor = Colors.gray(p.mean());
        int lineColor = Colors.gray(p.mean() * (1 + p.contrast()));
        int[] bg = new int[size * size];
        Arrays.fill(bg, bgColor);
        return Painter.figure(size, bg, lineColor, rect, null, Map.of("lineLuminance", (lineColor & 0xFF) / 255.0,
                "backgroundLuminance", (bgColor & 0xFF) / 255.0, "centerPixel", Common.point(cx, cy)));
    }
}

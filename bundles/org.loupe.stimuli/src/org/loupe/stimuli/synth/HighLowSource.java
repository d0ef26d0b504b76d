package org.loupe.stimuli.synth;

import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.RasterImage;
import org.loupe.stimuli.render.Colors;
import org.loupe.stimuli.render.Textures;

/**
 * High-low frequency stimuli, as used for the high-low frequency detectors of the Circuits thread
 * (Schubert et al. 2021): a straight boundary with a fine, high-frequency texture on one side and
 * a smooth, low-frequency one on the other. Both textures are value noise
 * ({@link Textures#valueNoise}) with the same amplitude, so only their spatial scale differs:
 * {@code highPeriod} and {@code lowPeriod} pixels. {@code orientation} is the direction across the
 * boundary pointing into the high-frequency side ({@code flip=true} swaps the sides);
 * {@code position} moves the boundary along it from the image centre. Luminance is
 * {@code mean * (1 + contrast * texture)}; the boundary is antialiased by pixel coverage. The
 * textures come from the image's random stream.
 *
 * <p>Ground truth beyond the parameters: {@code highDirection}, the direction (degrees) from the
 * boundary into the high-frequency side, and {@code boundaryPixel}.
 *
 * @since 0.1
 */
public class HighLowSource extends StimulusSource<HighLowSource.Params> {

    /**
     * Parameters.
     *
     * @param count       number of images
     * @param size        width and height in pixels
     * @param vary        parameters drawn at random per image ({@link Variation})
     * @param orientation the direction across the boundary into the high-frequency side
     * @param position    the offset of the boundary from the image centre along {@code orientation}, pixels
     * @param flip        whether the high-frequency side is the other one
     * @param highPeriod  the scale of the fine texture, pixels
     * @param lowPeriod   the scale of the smooth texture, pixels
     * @param mean        the mean luminance
     * @param contrast    the texture amplitude relative to the mean
     */
    public record Params(
            @Param(value = "number of images", min = 1, max = 1_000_000) int count,
            @Param(value = "width and height in pixels", min = 8, max = 1024) int size,
            @Param(Common.VARY) String vary,
            @Param(value = "direction across the boundary into the high-frequency side, degrees counter-clockwise from right", min = 0, max = 360) double orientation,
            @Param(value = "offset of the boundary from the image centre along orientation, pixels", min = -1024, max = 1024) double position,
            @Param("put the high-frequency texture on the other side") boolean flip,
            @Param(value = "scale of the high-frequency texture, pixels (1 = independent pixels)", min = 1, max = 1024) double highPeriod,
            @Param(value = "scale of the low-frequency texture, pixels", min = 1, max = 4096) double lowPeriod,
            @Param(value = "mean luminance", min = 0, max = 1) double mean,
            @Param(value = "texture amplitude relative to the mean", min = 0, max = 1) double contrast)
            implements StimulusParameters, Validating {

        @Override
        public void validate() {
            if (highPeriod >= lowPeriod) {
                throw new IllegalArgumentException("highPeriod (" + highPeriod + ") must be smaller than lowPeriod (" + lowPeriod + ")");
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1, 224, "", 0, 0, false, 3, 48, 0.5, 0.8);
    }

    @Override
    protected String kind() {
        return "highlow";
    }

    @Override
    protected String describe(Params p) {
        return "high-low frequency images of " + p.size() + "x" + p.size() + " (orientation " + p.orientation() + ", periods "
                + p.highPeriod() + "/" + p.lowPeriod() + ")";
    }

    @Override
    protected Map<String, double[]> drawRanges(Params p) {
        double s = p.size();
        return Map.of("orientation", new double[] {0, 360}, "position", new double[] {-s / 4, s / 4});
    }

    @Override
    protected Drawn draw(Params p, SplittableRandom random) {
        int size = p.size();
        double[] high = Textures.valueNoise(size, size, p.highPeriod(), random);
        double[] low = Textures.valueNoise(size, size, p.lowPeriod(), random);
        double[] front = p.flip() ? low : high;
        double[] back = p.flip() ? high : low;
        double nx = Frame.dx(p.orientation());
        double ny = Frame.dy(p.orientation());
        int[] px = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = (x + 0.5 - size / 2.0) * nx + (y + 0.5 - size / 2.0) * ny - p.position();
                double cover = coverage(d, nx, ny);
                int i = y * size + x;
                double t = cover * front[i] + (1 - cover) * back[i];
                px[i] = Colors.gray(p.mean() * (1 + p.contrast() * t));
            }
        }
        double highDirection = p.flip() ? (p.orientation() + 180) % 360 : p.orientation();
        return new Drawn(new RasterImage(size, size, px), null, Map.of("highDirection", highDirection,
                "boundaryPixel", Common.point(size / 2.0 + p.position() * nx, size / 2.0 + p.position() * ny)));
    }

    /**
     * The fraction of a unit pixel on the front side of a boundary at signed distance {@code d} from
     * its centre, with normal {@code (nx, ny)}: exact for a straight boundary (the pixel's extent
     * along the normal is a trapezoidal distribution).
     */
    static double coverage(double d, double nx, double ny) {
        double a = Math.abs(nx) / 2;
        double b = Math.abs(ny) / 2;
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        // area of the pixel where (offset along the normal) > -d, offsets spanning [-(a+b), a+b]
        return 1 - cdf(-d, lo, hi);
    }

    /** P(s <= t) for s = U(-lo, lo) + U(-hi, hi) (a trapezoid). */
    private static double cdf(double t, double lo, double hi) {
        double w = lo + hi;
        if (t <= -w) {
            return 0;
        }
        if (t >= w) {
            return 1;
        }
        if (lo < 1e-12) {
            return (t + hi) / (2 * hi);
        }
        double area = 4 * lo * hi;
        if (t <= lo - hi) {
            double s = t + w;
            return s * s / 2 / area;
        }
        if (t <= hi - lo) {
            double s0 = 2 * lo;
            return (s0 * s0 / 2 + 2 * lo * (t - (lo - hi))) / area;
        }
        double s = w - t;
        return 1 - s * s / 2 / area;
    }
}

package org.loupe.stimuli.synth;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.RasterImage;
import org.loupe.stimuli.render.Colors;

/**
 * Gray gratings in closed form. With pixel centres {@code (u, v)} in the stimulus frame
 * ({@link Frame}: origin at the image centre, v up) and {@code d = u cos(orientation) + v
 * sin(orientation)}, the luminance is
 * {@code mean * (1 + contrast * w(phase + 2 pi frequency d / size))}, clipped to [0, 1] and
 * rounded to 8 bits, where {@code w} is {@code sin} (sine gratings, sampled at pixel centres) or
 * the sign of {@code sin} averaged over 4 x 4 points per pixel (square gratings, antialiased).
 * {@code orientation} is the direction the wave travels, across the stripes: 0 gives vertical
 * stripes. {@code frequency} is in cycles per image width and at most {@code size / 2}.
 *
 * <p>Ground truth beyond the parameters: {@code period} (pixels per cycle) and
 * {@code wavevector} {@code [fx, fy]} in cycles per image (y up).
 *
 * @since 0.1
 */
public class GratingSource extends StimulusSource<GratingSource.Params> {

    /** Sine or square profile. */
    public enum Wave {
        /** A sinusoid. */
        SINE,
        /** A square wave (hard stripes). */
        SQUARE
    }

    /**
     * Parameters.
     *
     * @param count       number of images
     * @param size        width and height in pixels
     * @param vary        parameters drawn at random per image ({@link Variation})
     * @param frequency   cycles per image
     * @param orientation the direction the wave travels, degrees counter-clockwise from right
     * @param phase       the phase at the image centre, degrees
     * @param contrast    the Michelson contrast
     * @param mean        the mean luminance
     * @param wave        the profile
     */
    public record Params(
            @Param(value = "number of images", min = 1, max = 1_000_000) int count,
            @Param(value = "width and height in pixels", min = 8, max = 1024) int size,
            @Param(Common.VARY) String vary,
            @Param(value = "spatial frequency, cycles per image (at most size/2)", min = 0, max = 512) double frequency,
            @Param(value = "direction across the stripes, degrees counter-clockwise from right (0 = vertical stripes)", min = 0, max = 360) double orientation,
            @Param(value = "phase at the image centre, degrees", min = -360, max = 360) double phase,
            @Param(value = "Michelson contrast", min = 0, max = 1) double contrast,
            @Param(value = "mean luminance", min = 0, max = 1) double mean,
            @Param("profile: sine or square") Wave wave)
            implements StimulusParameters, Validating {

        @Override
        public void validate() {
            if (frequency > size / 2.0) {
                throw new IllegalArgumentException("parameter 'frequency' must be at most size/2 = " + size / 2.0
                        + " cycles per image (the Nyquist limit), got " + frequency);
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1, 224, "", 8, 0, 0, 1, 0.5, Wave.SINE);
    }

    @Override
    protected String kind() {
        return "grating";
    }

    @Override
    protected String describe(Params p) {
        return p.wave().name().toLowerCase(Locale.ROOT) + " gratings of " + p.size() + "x" + p.size() + " (" + p.frequency()
                + " cycles, orientation " + p.orientation() + ", phase " + p.phase() + ", contrast " + p.contrast() + ")";
    }

    @Override
    protected Map<String, double[]> drawRanges(Params p) {
        return Map.of("frequency", new double[] {1, p.size() / 4.0}, "orientation", new double[] {0, 180}, "phase", new double[] {0, 360},
                "contrast", new double[] {0.1, 1}, "mean", new double[] {0.25, 0.75});
    }

    @Override
    protected Drawn draw(Params p, SplittableRandom random) {
        int size = p.size();
        double a = Math.toRadians(p.orientation());
        double k = 2 * Math.PI * p.frequency() / size;
        double kx = k * Math.cos(a);
        double ky = k * Math.sin(a);
        double phase = Math.toRadians(p.phase());
        boolean square = p.wave() == Wave.SQUARE;
        int[] px = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double w;
                if (square) {
                    w = 0;
                    for (int sy = 0; sy < 4; sy++) {
                        for (int sx = 0; sx < 4; sx++) {
                            double u = x + (sx + 0.5) / 4 - size / 2.0;
                            double v = size / 2.0 - (y + (sy + 0.5) / 4);
                            w += Math.signum(Math.sin(phase + kx * u + ky * v));
                        }
                    }
                    w /= 16;
                } else {
                    double u = x + 0.5 - size / 2.0;
                    double v = size / 2.0 - (y + 0.5);
                    w = Math.sin(phase + kx * u + ky * v);
                }
                px[y * size + x] = Colors.gray(p.mean() * (1 + p.contrast() * w));
            }
        }
        double f = p.frequency();
        return new Drawn(new RasterImage(size, size, px), null, Map.of("period", f == 0 ? Double.POSITIVE_INFINITY : size / f,
                "wavevector", Common.point(f * Math.cos(a), f * Math.sin(a))));
    }
}

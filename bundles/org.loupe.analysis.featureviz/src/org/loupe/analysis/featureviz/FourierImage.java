package org.loupe.analysis.featureviz;

import org.loupe.core.model.Owned;
import org.loupe.core.model.Scalars;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Lucent's FFT parameterisation ({@code fft_image}): the leaves are the real and imaginary parts
 * of the image's spectrum, {@code [N, C, H, W/2+1]} each; the image is
 * {@code irfftn(scale * spectrum, norm="ortho") / 4} with each frequency scaled by
 * {@code 1 / max(f, 1 / max(W, H))^decay}, so that low frequencies dominate as in natural images.
 *
 * @since 0.1
 */
public final class FourierImage implements ImageParam {

    /** Lucent's initial standard deviation of the spectrum. */
    public static final double SD = 0.01;
    /** Lucent's decay power. */
    public static final double DECAY = 1;
    /** Lucid's "magic" divisor of the inverse transform. */
    public static final float MAGIC = 4f;

    private final NDArray re;
    private final NDArray im;
    private final NDArray scale;
    private final Spectrum spectrum;
    private final long[] shape;

    /**
     * Takes {@code re} and {@code im} {@code [N, C, H, W/2+1]} as the leaves (not copied).
     *
     * @param width the image width (W/2+1 frequencies do not say whether W is odd)
     * @param decay the decay power of the frequency scaling (Lucent: 1)
     */
    public FourierImage(NDArray re, NDArray im, int width, double decay) {
        long[] s = re.getShape().getShape();
        if (s.length != 4 || !re.getShape().equals(im.getShape()) || s[3] != width / 2 + 1) {
            throw new IllegalArgumentException("a Fourier image of width " + width + " needs real and imaginary parts [N, C, H, "
                    + (width / 2 + 1) + "], got " + re.getShape() + " and " + im.getShape());
        }
        this.re = re;
        this.im = im;
        int h = (int) s[2];
        NDManager m = re.getManager();
        this.spectrum = new Spectrum(m, h, width);
        this.scale = Owned.floats(m, scales(h, width, decay), new Shape(h, spectrum.bins()));
        this.shape = new long[] {s[0], s[1], h, width};
    }

    /** Lucent's frequency scaling {@code 1 / max(f, 1 / max(w, h))^decay}, {@code [H, W/2+1]} row by row. */
    public static float[] scales(int height, int width, double decay) {
        double[] f = Spectrum.frequencies(height, width);
        float[] s = new float[f.length];
        double floor = 1.0 / Math.max(width, height);
        for (int i = 0; i < f.length; i++) {
            s[i] = (float) (1.0 / Math.pow(Math.max(f[i], floor), decay));
        }
        return s;
    }

    /** A spectrum of noise with standard deviation {@link #SD} (Lucent's initialisation). */
    public static FourierImage noise(NDManager manager, int batch, int channels, int height, int width, Random random) {
        Shape s = new Shape(batch, channels, height, width / 2 + 1);
        int n = (int) s.size();
        return new FourierImage(Owned.floats(manager, Noise.gaussian(random, n, SD), s), Owned.floats(manager, Noise.gaussian(random, n, SD), s), width,
                DECAY);
    }

    /**
     * The spectrum whose image is {@code values} {@code [N, C, H, W]} planar, row by row (the
     * values before colour and sigmoid): where a feature accentuation starts.
     */
    public static FourierImage of(NDManager manager, float[] values, int batch, int channels, int height, int width) {
        int bins = width / 2 + 1;
        float[] scale = scales(height, width, DECAY);
        float[] re = new float[batch * channels * height * bins];
        float[] im = new float[re.length];
        float[] plane = new float[height * width];
        for (int p = 0; p < batch * channels; p++) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = values[p * plane.length + i] * MAGIC;
            }
            double[][] f = Spectrum.forward(plane, height, width);
            for (int i = 0; i < height * bins; i++) {
                re[p * height * bins + i] = (float) (f[0][i] / scale[i]);
                im[p * height * bins + i] = (float) (f[1][i] / scale[i]);
            }
        }
        Shape s = new Shape(batch, channels, height, bins);
        return new FourierImage(Owned.floats(manager, re, s), Owned.floats(manager, im, s), width, DECAY);
    }

    @Override
    public List<NDArray> leaves() {
        return List.of(re, im);
    }

    @Override
    public NDArray render() {
        return Scalars.div(spectrum.inverse(re.mul(scale), im.mul(scale)), MAGIC);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}

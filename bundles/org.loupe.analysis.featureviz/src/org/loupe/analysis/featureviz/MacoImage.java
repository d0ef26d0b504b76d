package org.loupe.analysis.featureviz;

import java.util.List;
import java.util.Random;

import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * MaCo's parameterisation (Fel et al. 2023, "Unlocking feature visualization for deeper networks
 * with magnitude constrained optimization"): only the Fourier phase is optimised, the magnitude
 * stays fixed to a natural-image spectrum. Per image: the phase is standardised, the spectrum
 * {@code M cos(phase) + i M sin(phase)} is inverted ({@code irfft2}) and the image standardised;
 * {@link ValidRgb} then recorrelates colour and applies the sigmoid, as Xplique does.
 *
 * @since 0.1
 */
public final class MacoImage implements ImageParam {

    private static final float EPS = 1e-5f;

    private final NDArray phase;
    private final NDArray magnitude;
    private final Spectrum spectrum;
    private final long[] shape;

    /**
     * Takes {@code phase} {@code [N, C, H, W/2+1]} as the leaf (not copied).
     *
     * @param magnitude the fixed magnitude, {@code [C, H, W/2+1]} row by row
     * @param width     the image width
     */
    public MacoImage(NDArray phase, float[] magnitude, int width) {
        long[] s = phase.getShape().getShape();
        if (s.length != 4 || s[3] != width / 2 + 1 || magnitude.length != s[1] * s[2] * s[3]) {
            throw new IllegalArgumentException("a MaCo image of width " + width + " needs a phase [N, C, H, " + (width / 2 + 1)
                    + "] and a magnitude of C*H*" + (width / 2 + 1) + " values, got " + phase.getShape() + " and " + magnitude.length);
        }
        this.phase = phase;
        NDManager m = phase.getManager();
        this.magnitude = Owned.floats(m, magnitude, new Shape(s[1], s[2], s[3]));
        this.spectrum = new Spectrum(m, (int) s[2], width);
        this.shape = new long[] {s[0], s[1], s[2], width};
    }

    /** A random phase (standard normal) from {@code random}. */
    public static MacoImage noise(NDManager manager, int batch, float[] magnitude, int channels, int height, int width, Random random) {
        Shape s = new Shape(batch, channels, height, width / 2 + 1);
        return new MacoImage(Owned.floats(manager, Noise.gaussian(random, (int) s.size(), 1), s), magnitude, width);
    }

    /**
     * The 1/f magnitude of natural images, {@code 1 / max(f, 1 / max(W, H))} for every channel:
     * MaCo's default when no image source gives a measured spectrum.
     */
    public static float[] naturalMagnitude(int channels, int height, int width) {
        float[] one = FourierImage.scales(height, width, 1);
        float[] m = new float[channels * one.length];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(one, 0, m, c * one.length, one.length);
        }
        return m;
    }

    /** The mean magnitude spectrum of {@code images} (each fitted to {@code height x width}), per channel. */
    public static float[] meanMagnitude(List<RasterImage> images, int channels, int height, int width) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("the mean spectrum needs at least one image");
        }
        int bins = width / 2 + 1;
        double[] sum = new double[channels * height * bins];
        for (RasterImage img : images) {
            float[] planar = ImageTensors.planar(ImageTensors.fit(img, width, height), channels);
            for (int c = 0; c < channels; c++) {
                float[] plane = new float[height * width];
                System.arraycopy(planar, c * plane.length, plane, 0, plane.length);
                double[][] f = Spectrum.forward(plane, height, width);
                for (int i = 0; i < height * bins; i++) {
                    sum[c * height * bins + i] += Math.hypot(f[0][i], f[1][i]);
                }
            }
        }
        float[] m = new float[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (sum[i] / images.size());
        }
        return m;
    }

    @Override
    public List<NDArray> leaves() {
        return List.of(phase);
    }

    @Override
    public NDArray render() {
        NDArray p = standardise(phase);
        NDArray img = spectrum.inverse(p.cos().mul(magnitude), p.sin().mul(magnitude));
        return standardise(img);
    }

    /** {@code (x - mean) / (std + 1e-5)} per batch element (population standard deviation). */
    static NDArray standardise(NDArray x) {
        long n = x.getShape().get(0);
        NDArray flat = x.reshape(n, -1);
        NDArray centred = flat.sub(flat.mean(new int[] {1}, true));
        NDArray std = centred.square().mean(new int[] {1}, true).sqrt();
        return centred.div(Scalars.add(std, EPS)).reshape(x.getShape());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}

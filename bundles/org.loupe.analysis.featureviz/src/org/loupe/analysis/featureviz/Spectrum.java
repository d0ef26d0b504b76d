package org.loupe.analysis.featureviz;


import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The real 2-D Fourier transform of {@code H x W} images with orthonormal scaling, as PyTorch's
 * {@code torch.fft.rfftn} / {@code irfftn(s=(H, W), norm="ortho")} compute it, written as matrix
 * products so that gradients flow through the inverse: a spectrum has {@code W / 2 + 1}
 * frequencies along the width and {@code H} along the height. Also Lucid's frequency grid
 * ({@link #frequencies}). The matrices belong to the manager given at construction.
 *
 * @since 0.1
 */
public final class Spectrum {

    private final int height;
    private final int width;
    private final int bins;
    // irfft along W: [bins, W], cos and sin, with the Hermitian weights and 1/sqrt(W)
    private final NDArray wCos;
    private final NDArray wSin;
    // ifft along H: [H, H], symmetric, with 1/sqrt(H)
    private final NDArray hCos;
    private final NDArray hSin;

    /** The transform for {@code height x width} images; its matrices are made in {@code manager}. */
    public Spectrum(NDManager manager, int height, int width) {
        this.height = height;
        this.width = width;
        this.bins = width / 2 + 1;
        float[] wc = new float[bins * width];
        float[] ws = new float[bins * width];
        for (int l = 0; l < bins; l++) {
            double weight = (l == 0 || (width % 2 == 0 && l == width / 2)) ? 1 : 2;
            for (int n = 0; n < width; n++) {
                double a = 2 * Math.PI * ((long) l * n % width) / width;
                wc[l * width + n] = (float) (weight * Math.cos(a) / Math.sqrt(width));
                ws[l * width + n] = (float) (weight * Math.sin(a) / Math.sqrt(width));
            }
        }
        float[] hc = new float[height * height];
        float[] hs = new float[height * height];
        for (int m = 0; m < height; m++) {
            for (int k = 0; k < height; k++) {
                double a = 2 * Math.PI * ((long) m * k % height) / height;
                hc[m * height + k] = (float) (Math.cos(a) / Math.sqrt(height));
                hs[m * height + k] = (float) (Math.sin(a) / Math.sqrt(height));
            }
        }
        wCos = Owned.floats(manager, wc, new Shape(bins, width));
        wSin = Owned.floats(manager, ws, new Shape(bins, width));
        hCos = Owned.floats(manager, hc, new Shape(height, height));
        hSin = Owned.floats(manager, hs, new Shape(height, height));
    }

    /** Image height. */
    public int height() {
        return height;
    }

    /** Image width. */
    public int width() {
        return width;
    }

    /** Frequencies along the width of a spectrum: {@code width / 2 + 1}. */
    public int bins() {
        return bins;
    }

    /**
     * The images {@code [N, C, H, W]} whose spectrum is {@code re + i im}, each {@code [N, C, H,
     * bins]}: {@code irfftn(re + i im, s=(H, W), norm="ortho")}. The imaginary parts of the
     * columns that must be real (frequency 0, and W/2 for even W) are ignored, as PyTorch ignores them.
     */
    public NDArray inverse(NDArray re, NDArray im) {
        // along W first (complex): Z = X * E_W; then along H, real part: x = Re(E_H * Z)
        NDArray zr = re.matMul(wCos).sub(im.matMul(wSin));
        NDArray zi = re.matMul(wSin).add(im.matMul(wCos));
        // x = Ch Zr - Sh Zi, the [H, H] matrices broadcast over the batch: no transposed copies either way;
        // a result belongs to its left operand's manager, so each product is moved to the caller's (a step's)
        NDArray c = hCos.matMul(zr);
        c.attach(zr.getManager());
        NDArray d = hSin.matMul(zi);
        d.attach(zi.getManager());
        return c.sub(d);
    }

    /**
     * Lucid's {@code rfft2d_freqs}: the frequency {@code sqrt(fx^2 + fy^2)} (cycles per pixel) of
     * each bin, {@code [H, bins]} row by row, with numpy's {@code fftfreq} signs.
     */
    public static double[] frequencies(int height, int width) {
        int bins = width / 2 + 1;
        double[] f = new double[height * bins];
        for (int k = 0; k < height; k++) {
            double fy = fftfreq(k, height);
            for (int l = 0; l < bins; l++) {
                double fx = fftfreq(l, width);
                f[k * bins + l] = Math.sqrt(fx * fx + fy * fy);
            }
        }
        return f;
    }

    private static double fftfreq(int i, int n) {
        return (i < (n + 1) / 2 ? i : i - n) / (double) n;
    }

    /**
     * The orthonormal spectrum of one real image {@code [H, W]} (row by row), as
     * {@code torch.fft.rfftn(x, norm="ortho")}: real parts then imaginary parts, each
     * {@code [H, bins]}. Computed on the CPU in double precision.
     */
    public static double[][] forward(float[] image, int height, int width) {
        int bins = width / 2 + 1;
        // along W: A[m, l] = sum_n x[m, n] e^{-2 pi i l n / W}
        double[] ar = new double[height * bins];
        double[] ai = new double[height * bins];
        for (int m = 0; m < height; m++) {
            for (int l = 0; l < bins; l++) {
                double sr = 0;
                double si = 0;
                for (int n = 0; n < width; n++) {
                    double a = 2 * Math.PI * ((long) l * n % width) / width;
                    double v = image[m * width + n];
                    sr += v * Math.cos(a);
                    si -= v * Math.sin(a);
                }
                ar[m * bins + l] = sr;
                ai[m * bins + l] = si;
            }
        }
        double norm = Math.sqrt((double) height * width);
        double[] re = new double[height * bins];
        double[] im = new double[height * bins];
        for (int k = 0; k < height; k++) {
            for (int l = 0; l < bins; l++) {
                double sr = 0;
                double si = 0;
                for (int m = 0; m < height; m++) {
                    double a = 2 * Math.PI * ((long) k * m % height) / height;
                    double c = Math.cos(a);
                    double s = -Math.sin(a);
                    sr += ar[m * bins + l] * c - ai[m * bins + l] * s;
                    si += ar[m * bins + l] * s + ai[m * bins + l] * c;
                }
                re[k * bins + l] = sr / norm;
                im[k * bins + l] = si / norm;
            }
        }
        return new double[][] {re, im};
    }
}

package org.loupe.analysis.quality;

import java.util.Random;

/**
 * Noisy linear imputation (Rong et al. 2022, ROAD; Quantus' {@code noisy_linear_imputation}): the
 * removed pixels take, channel by channel, the values that make each of them the weighted mean of
 * its neighbours inside the image (weight 1/6 for the four direct neighbours, 1/12 for the four
 * diagonal ones), the kept pixels fixed, and then Gaussian noise of standard deviation
 * {@code noise}. The sparse linear system is solved by conjugate gradients with a Jacobi
 * preconditioner to a relative residual of 1e-7, starting from the mean of the kept pixels (a
 * removed region that touches no kept pixel stays at that mean).
 *
 * @since 0.1
 */
public final class NoisyLinearImputer {

    private static final int[][] NEIGHBOURS = {{1, 1}, {0, 1}, {-1, 1}, {1, -1}, {0, -1}, {-1, -1}, {1, 0}, {-1, 0}};
    private static final double[] WEIGHTS = {1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 6.0};

    private NoisyLinearImputer() {
    }

    /**
     * {@code image} with the pixels where {@code removed} is true imputed.
     *
     * @param removed {@code H * W} flags, row-major
     * @param noise   the standard deviation of the noise added to imputed values, {@code >= 0} (Quantus: 0.01)
     * @param random  the noise's source
     */
    public static ImageArray impute(ImageArray image, boolean[] removed, double noise, Random random) {
        int w = image.width();
        int h = image.height();
        int pixels = image.pixels();
        if (removed.length != pixels) {
            throw new IllegalArgumentException("the removal mask has " + removed.length + " flags, the image " + pixels + " pixels");
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("the imputation noise is a standard deviation, >= 0; got " + noise);
        }
        int[] unknown = new int[pixels];
        int n = 0;
        int[] index = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            index[p] = removed[p] ? n : -1;
            if (removed[p]) {
                unknown[n++] = p;
            }
        }
        float[] out = image.copyValues();
        if (n == 0) {
            return image.with(out);
        }
        if (n == pixels) {
            throw new IllegalArgumentException("every pixel is removed: imputation needs some pixels to keep");
        }
        // the system: for each unknown i, diag_i x_i - sum_{unknown j} w_ij x_j = sum_{known j} w_ij v_j
        int[][] nb = new int[n][];
        double[][] nw = new double[n][];
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            int p = unknown[i];
            int x = p % w;
            int y = p / w;
            int[] js = new int[8];
            double[] ws = new double[8];
            int k = 0;
            for (int d = 0; d < 8; d++) {
                int u = x + NEIGHBOURS[d][0];
                int v = y + NEIGHBOURS[d][1];
                if (u >= 0 && v >= 0 && u < w && v < h) {
                    js[k] = v * w + u;
                    ws[k] = WEIGHTS[d];
                    diag[i] += WEIGHTS[d];
                    k++;
                }
            }
            nb[i] = java.util.Arrays.copyOf(js, k);
            nw[i] = java.util.Arrays.copyOf(ws, k);
        }
        float[] v = image.values();
        for (int c = 0; c < image.channels(); c++) {
            int off = c * pixels;
            double mean = 0;
            for (int p = 0; p < pixels; p++) {
                if (!removed[p]) {
                    mean += v[off + p];
                }
            }
            mean /= pixels - n;
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < nb[i].length; k++) {
                    int j = nb[i][k];
                    if (index[j] < 0) {
                        b[i] += nw[i][k] * v[off + j];
                    }
                }
            }
            double[] xs = new double[n];
            java.util.Arrays.fill(xs, mean);
            solve(nb, nw, diag, index, b, xs);
            for (int i = 0; i < n; i++) {
                out[off + unknown[i]] = (float) (xs[i] + noise * random.nextGaussian());
            }
        }
        return image.with(out);
    }

    private static void multiply(int[][] nb, double[][] nw, double[] diag, int[] index, double[] x, double[] into) {
        for (int i = 0; i < x.length; i++) {
            double s = diag[i] * x[i];
            for (int k = 0; k < nb[i].length; k++) {
                int j = index[nb[i][k]];
                if (j >= 0) {
                    s -= nw[i][k] * x[j];
                }
            }
            into[i] = s;
        }
    }

    /** Preconditioned conjugate gradients for the system, in place from the start {@code x}. */
    private static void solve(int[][] nb, double[][] nw, double[] diag, int[] index, double[] b, double[] x) {
        int n = x.length;
        double[] r = new double[n];
        multiply(nb, nw, diag, index, x, r);
        double bNorm = 0;
        for (int i = 0; i < n; i++) {
            r[i] = b[i] - r[i];
            bNorm += b[i] * b[i];
        }
        double tol = 1e-14 * Math.max(bNorm, 1e-30);
        double[] z = new double[n];
        double[] p = new double[n];
        double[] ap = new double[n];
        double rz = 0;
        for (int i = 0; i < n; i++) {
            z[i] = r[i] / diag[i];
            p[i] = z[i];
            rz += r[i] * z[i];
        }
        for (int it = 0; it < 10 * n + 100; it++) {
            double rr = 0;
            for (double ri : r) {
                rr += ri * ri;
            }
            if (rr <= tol) {
                return;
            }
            multiply(nb, nw, diag, index, p, ap);
            double pap = 0;
            for (int i = 0; i < n; i++) {
                pap += p[i] * ap[i];
            }
            if (pap <= 0) {
                return;
            }
            double alpha = rz / pap;
            double rzNew = 0;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
                z[i] = r[i] / diag[i];
                rzNew += r[i] * z[i];
            }
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
    }
}

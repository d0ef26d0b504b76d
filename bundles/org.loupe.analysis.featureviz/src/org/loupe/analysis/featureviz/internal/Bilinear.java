package org.loupe.analysis.featureviz.internal;

import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear sampling of a batch {@code [N, C, H, W]} at given source positions, as NDArray gathers
 * that carry gradients to the image: what {@code grid_sample(mode="bilinear", padding_mode="zeros",
 * align_corners=True)} computes when the grid is given in pixel coordinates. A corner outside the
 * image contributes zero.
 */
public final class Bilinear {

    private Bilinear() {
    }

    /**
     * Samples {@code x} at {@code (ys[p], xs[p])} (pixel coordinates of the source, row and column)
     * for each output pixel {@code p} of an {@code outH x outW} image, row by row.
     */
    public static NDArray sample(NDArray x, double[] ys, double[] xs, int outH, int outW) {
        long[] s = x.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int p = outH * outW;
        if (ys.length != p || xs.length != p) {
            throw new IllegalArgumentException("expected " + p + " sample positions, got " + ys.length + " and " + xs.length);
        }
        long[][] index = new long[4][p];
        float[][] weight = new float[4][p];
        for (int i = 0; i < p; i++) {
            double y0 = Math.floor(ys[i]);
            double x0 = Math.floor(xs[i]);
            double fy = ys[i] - y0;
            double fx = xs[i] - x0;
            corner(index[0], weight[0], i, (int) y0, (int) x0, (1 - fy) * (1 - fx), h, w);
            corner(index[1], weight[1], i, (int) y0, (int) x0 + 1, (1 - fy) * fx, h, w);
            corner(index[2], weight[2], i, (int) y0 + 1, (int) x0, fy * (1 - fx), h, w);
            corner(index[3], weight[3], i, (int) y0 + 1, (int) x0 + 1, fy * fx, h, w);
        }
        // the index and weight arrays are made in the image's manager and live as long as the result:
        // the backward pass reads them, and DJL's arrays do not own their memory once closed
        NDManager m = x.getManager();
        NDArray flat = x.reshape(n, c, (long) h * w);
        NDArray out = null;
        for (int k = 0; k < 4; k++) {
            NDArray idx = Owned.longs(m, index[k], new Shape(1, 1, p)).broadcast(new Shape(n, c, p));
            NDArray term = flat.gather(idx, 2).mul(Owned.floats(m, weight[k], new Shape(1, 1, p)));
            out = out == null ? term : out.add(term);
        }
        out = out.reshape(n, c, outH, outW);
        return out;
    }

    private static void corner(long[] index, float[] weight, int i, int y, int x, double wt, int h, int w) {
        if (y < 0 || y >= h || x < 0 || x >= w) {
            index[i] = 0;
            weight[i] = 0;
        } else {
            index[i] = (long) y * w + x;
            weight[i] = (float) wt;
        }
    }

    /**
     * Resizes to {@code outH x outW} with corners aligned ({@code interpolate(mode="bilinear",
     * align_corners=True)}, Lucent's upsampling): output pixel {@code i} samples the input at
     * {@code i * (in - 1) / (out - 1)}.
     */
    public static NDArray resizeAligned(NDArray x, int outH, int outW) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (h == outH && w == outW) {
            return x;
        }
        double[] ys = new double[outH * outW];
        double[] xs = new double[outH * outW];
        double sy = outH > 1 ? (h - 1.0) / (outH - 1) : 0;
        double sx = outW > 1 ? (w - 1.0) / (outW - 1) : 0;
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                ys[i * outW + j] = i * sy;
                xs[i * outW + j] = j * sx;
            }
        }
        return sample(x, ys, xs, outH, outW);
    }
}

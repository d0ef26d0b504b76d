package org.loupe.analysis.featureviz.internal;

import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resampling of a batch {@code [N, C, H, W]} that carries gradients to the image: at
 * given source positions as NDArray gathers, which is what {@code grid_sample(mode="bilinear",
 * padding_mode="zeros", align_corners=True)} computes when the grid is given in pixel coordinates
 * (a corner outside the image contributes zero); and aligned resizing as two matrix products with
 * small interpolation matrices, one per axis.
 */
public final class Bilinear {

    private Bilinear() {
    }

    /**
     * Samples {@code x} at {@code (ys[p], xs[p])} (pixel coordinates of the source, row and column)
     * for each output pixel {@code p} of an {@code outH x outW} image, row by row.
     */
    public static NDArray sample(NDArray x, double[] ys, double[] xs, int outH, int outW) {
        int p = outH * outW;
        if (ys.length != p || xs.length != p) {
            throw new IllegalArgumentException("expected " + p + " sample positions, got " + ys.length + " and " + xs.length);
        }
        NDManager m = x.getManager();
        try (NDArray wy = m.create(ys); NDArray wx = m.create(xs)) {
            return sample(x, wy.duplicate(), wx.duplicate(), outH, outW);
        }
    }

    /**
     * Samples {@code x} at the positions {@code ys}, {@code xs} (float64 arrays of
     * {@code outH * outW} source pixel coordinates, row by row, in the image's manager): the corner
     * indices and weights are computed by the engine, so a grid the engine made (a rotation) never
     * passes through Java.
     */
    public static NDArray sample(NDArray x, NDArray ys, NDArray xs, int outH, int outW) {
        long[] s = x.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int p = outH * outW;
        // the index and weight arrays are outputs of engine operations, owned by PyTorch, in the image's
        // manager: they live as long as the result, and the backward pass reads them
        NDArray y0 = ys.floor();
        NDArray x0 = xs.floor();
        NDArray fy = ys.sub(y0);
        NDArray fx = xs.sub(x0);
        NDArray gy = fy.onesLike().sub(fy);
        NDArray gx = fx.onesLike().sub(fx);
        NDArray y1 = y0.add(y0.onesLike());
        NDArray x1 = x0.add(x0.onesLike());
        NDArray[][] corners = {{y0, x0, gy.mul(gx)}, {y0, x1, gy.mul(fx)}, {y1, x0, fy.mul(gx)}, {y1, x1, fy.mul(fx)}};
        NDArray flat = x.reshape(n, c, (long) h * w);
        NDArray out = null;
        for (NDArray[] k : corners) {
            NDArray inside = k[0].gte(0).logicalAnd(k[0].lt(h)).logicalAnd(k[1].gte(0)).logicalAnd(k[1].lt(w));
            NDArray index = k[0].clip(0, h - 1).mul(w).add(k[1].clip(0, w - 1)).toType(DataType.INT64, false);
            NDArray weight = k[2].mul(inside.toType(DataType.FLOAT64, false)).toType(DataType.FLOAT32, false);
            NDArray idx = index.reshape(1, 1, p).broadcast(new Shape(n, c, p));
            NDArray term = flat.gather(idx, 2).mul(weight.reshape(1, 1, p));
            out = out == null ? term : out.add(term);
        }
        return out.reshape(n, c, outH, outW);
    }

    /**
     * Resizes to {@code outH x outW} with corners aligned ({@code interpolate(mode="bilinear",
     * align_corners=True)}, Lucent's upsampling): output pixel {@code i} samples the input at
     * {@code i * (in - 1) / (out - 1)}. Bilinear resizing is separable, so it is two matrix
     * products with small interpolation matrices ({@code rows x} then {@code x columns^T}) rather
     * than a gather per output pixel: the cost is the engine's matrix product, forward and backward.
     */
    public static NDArray resizeAligned(NDArray x, int outH, int outW) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (h == outH && w == outW) {
            return x;
        }
        // made in the image's manager, living as long as the result: the backward pass reads them
        NDManager m = x.getManager();
        NDArray out = x;
        if (w != outW) {
            out = out.matMul(Owned.floats(m, weights(w, outW, true), new Shape(w, outW)));
        }
        if (h != outH) {
            out = Owned.floats(m, weights(h, outH, false), new Shape(outH, h)).matMul(out);
        }
        return out;
    }

    /**
     * The aligned-corner interpolation matrix from {@code in} to {@code out} samples, row by row:
     * {@code [in, out]} if {@code transposed}, else {@code [out, in]}.
     */
    private static float[] weights(int in, int out, boolean transposed) {
        float[] r = new float[in * out];
        double step = out > 1 ? (in - 1.0) / (out - 1) : 0;
        for (int i = 0; i < out; i++) {
            double pos = i * step;
            int lo = (int) Math.floor(pos);
            double f = pos - lo;
            add(r, i, lo, 1 - f, in, out, transposed);
            add(r, i, lo + 1, f, in, out, transposed);
        }
        return r;
    }

    private static void add(float[] r, int i, int src, double wt, int in, int out, boolean transposed) {
        if (src < in && wt != 0) {
            r[transposed ? src * out + i : i * in + src] += (float) wt;
        }
    }
}

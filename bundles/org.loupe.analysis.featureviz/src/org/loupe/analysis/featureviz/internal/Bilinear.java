package org.loupe.analysis.featureviz.internal;

import org.loupe.core.model.Owned;
import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resampling of a batch {@code [N, C, H, W]} that carries gradients to the image: at
 * given source positions as one NDArray gather, which is what {@code grid_sample(mode="bilinear",
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
     * {@code outH * outW} source pixel coordinates, row by row, in the image's manager). The corner
     * indices and weights are computed by the engine for both axes at once, and the four corners
     * are one gather and one weighted sum (and their two backward operations): about 40 small
     * operations where working corner by corner took about 70 (a rotation of a 152-pixel image, 2.1
     * against 5.0-6.2 ms), and no per-pixel arrays pass through Java.
     */
    public static NDArray sample(NDArray x, NDArray ys, NDArray xs, int outH, int outW) {
        long[] s = x.getShape().getShape();
        long h = s[2];
        long w = s[3];
        long p = (long) outH * outW;
        NDManager m = x.getManager();
        // the index and weight arrays are outputs of engine operations, owned by PyTorch, in the image's
        // manager: they live as long as the result, and the backward pass reads them
        NDArray at = NDArrays.stack(new NDList(ys, xs));                               // [axis (y, x), p]
        NDArray below = at.floor();
        NDArray frac = at.sub(below);
        NDArray corner = NDArrays.stack(new NDList(below, Scalars.add(below, 1)), 1);   // [axis, lower / upper, p]
        NDArray share = NDArrays.stack(new NDList(Scalars.rsub(1, frac), frac), 1);
        NDArray size = Owned.floats(m, new float[] {(float) h, (float) w}, new Shape(2, 1, 1)).toType(DataType.FLOAT64, false);
        NDArray inside = corner.gte(0).logicalAnd(corner.lt(size)).toType(DataType.FLOAT64, false);
        NDArray weight = share.mul(inside);
        NDArray clipped = Scalars.maximum(corner, 0).minimum(Scalars.sub(size, 1));
        // corner (a, b) of rows a and columns b, in the order (lower, lower), (lower, upper), (upper, lower), (upper, upper)
        NDArray weights = weight.get(0).reshape(2, 1, p).mul(weight.get(1).reshape(1, 2, p)).toType(DataType.FLOAT32, false);
        NDArray index = Scalars.mul(clipped.get(0), w).reshape(2, 1, p).add(clipped.get(1).reshape(1, 2, p)).toType(DataType.INT64, false);
        NDArray gathered = x.reshape(s[0], s[1], h * w).gather(index.reshape(1, 1, 4 * p).broadcast(new Shape(s[0], s[1], 4 * p)), 2);
        return gathered.reshape(s[0], s[1], 4, p).mul(weights.reshape(1, 1, 4, p)).sum(new int[] {2}).reshape(s[0], s[1], outH, outW);
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

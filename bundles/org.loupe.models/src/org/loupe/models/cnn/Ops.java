package org.loupe.models.cnn;

import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

/** The parameter-free operations of the CNNs, with PyTorch's semantics. */
final class Ops {

    private Ops() {
    }

    static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /** {@code F.gelu} (exact, erf-based). */
    static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** {@code F.max_pool2d(x, k, s, p, ceil_mode)}. */
    static NDArray maxPool(NDArray x, int kernel, int stride, int padding, boolean ceil) {
        return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding), ceil);
    }

    /** {@code F.avg_pool2d(x, k, s)} without padding. */
    static NDArray avgPool(NDArray x, int kernel, int stride) {
        return Pool.avgPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(0, 0), false, true);
    }

    /** Global average pool, flattened: {@code [N, C, H, W] -> [N, C]}. */
    static NDArray globalAvgPool(NDArray x) {
        NDArray rows = x.mean(new int[] {3});
        NDArray pooled = rows.mean(new int[] {2});
        rows.close();
        return pooled;
    }

    /** {@code F.pad(x, (left, right, top, bottom), value=value)}. */
    static NDArray pad(NDArray x, int left, int right, int top, int bottom, double value) {
        return x.pad(new Shape(left, right, top, bottom), value);
    }

    /**
     * {@code F.local_response_norm(x, size, alpha, beta, k)}: {@code x / (k + alpha * mean(x^2))^beta}
     * with the mean taken over {@code size} neighbouring channels, zero-padded as PyTorch does.
     */
    static NDArray localResponseNorm(NDArray x, int size, float alpha, float beta, float k) {
        NDArray square = x.square();
        NDArray sq = square.expandDims(1); // [N, 1, C, H, W]
        NDArray padded = sq.pad(new Shape(0, 0, 0, 0, size / 2, (size - 1) / 2), 0);
        NDArray pooled = Pool.avgPool3d(padded, new Shape(size, 1, 1), new Shape(1, 1, 1), new Shape(0, 0, 0), false, true);
        NDArray avg = pooled.squeeze(1);
        NDArray scaled = Scalars.mul(avg, alpha);
        NDArray shifted = Scalars.add(scaled, k);
        NDArray denominator = Scalars.pow(shifted, beta);
        NDArray y = x.div(denominator);
        new NDList(square, sq, padded, pooled, avg, scaled, shifted, denominator).close();
        return y;
    }

    /** Concatenation along the channel axis. */
    static NDArray concatChannels(NDArray... parts) {
        return NDArrays.concat(new NDList(parts), 1);
    }
}

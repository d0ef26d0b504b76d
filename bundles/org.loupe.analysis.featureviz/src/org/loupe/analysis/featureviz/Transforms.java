package org.loupe.analysis.featureviz;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.images.TensorOps;
import org.loupe.core.model.Owned;
import org.loupe.djl.Resampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Lucent's transforms ({@code lucent.optvis.transform}) and MaCo's random crops, each with its
 * random draw separated from the deterministic operation (which tests check against PyTorch with
 * fixed draws).
 *
 * @since 0.1
 */
public final class Transforms {

    private Transforms() {
    }

    /**
     * Lucent's {@code standard_transforms}: pad 12 (constant 0.5), jitter 8, scale by one of
     * 0.90, 0.92, ..., 1.10, rotate by one of -10..10 degrees (0 with 5 extra chances), jitter 4.
     */
    public static Transform lucent() {
        double[] scales = new double[11];
        for (int i = 0; i < 11; i++) {
            scales[i] = 1 + (i - 5) / 50.0;
        }
        int[] angles = new int[26];
        for (int i = 0; i < 21; i++) {
            angles[i] = i - 10;
        }
        return Transform.compose(List.of(pad(12, 0.5f), jitter(8), randomScale(scales), randomRotate(angles), jitter(4)));
    }

    /** Pads every side by {@code width} pixels of {@code value}. */
    public static Transform pad(int width, float value) {
        return (x, d) -> TensorOps.pad(x, width, width, width, width, value);
    }

    /** Lucent's {@code jitter(d)}: shifts right by {@code dx} and down by {@code dy}, each drawn from 0..d-1. */
    public static Transform jitter(int d) {
        if (d < 2) {
            throw new IllegalArgumentException("jitter needs a range of at least 2 pixels, got " + d);
        }
        return (x, draws) -> {
            int dx = draws.random().nextInt(d);
            int dy = draws.random().nextInt(d);
            return shift(x, dx, dy);
        };
    }

    /** Shifts the content right by {@code dx} and down by {@code dy} pixels, filling with zeros (kornia's {@code translate}). */
    public static NDArray shift(NDArray x, int dx, int dy) {
        if (dx == 0 && dy == 0) {
            return x;
        }
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        return TensorOps.crop(TensorOps.pad(x, dy, 0, dx, 0, 0f), 0, 0, h, w);
    }

    /** Lucent's {@code random_scale(scales)}: scales by one of {@code scales}, drawn uniformly. */
    public static Transform randomScale(double[] scales) {
        double[] s = scales.clone();
        return (x, d) -> scale(x, s[d.random().nextInt(s.length)]);
    }

    /**
     * Lucent's scaling: bilinear resize (corners aligned) to {@code ceil(scale * size)}, then, when
     * smaller, zero padding {@code [pad_y, pad_x] * 2} as Lucent gives it to {@code F.pad} (left and
     * top by {@code pad_y}, right and bottom by {@code pad_x}, each {@code ceil((size - scaled) / 2)}).
     */
    public static NDArray scale(NDArray x, double scale) {
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        int sh = (int) Math.ceil(scale * h);
        int sw = (int) Math.ceil(scale * w);
        int padX = Math.max(0, (int) Math.ceil((w - sw) / 2.0));
        int padY = Math.max(0, (int) Math.ceil((h - sh) / 2.0));
        NDArray resized = Resampling.bilinearAligned(x, sh, sw);
        if (padX == 0 && padY == 0) {
            return resized;
        }
        return TensorOps.pad(resized, padY, padX, padY, padX, 0f);
    }

    /** Lucent's {@code random_rotate(angles)}: rotates by one of {@code angles} (degrees), drawn uniformly. */
    public static Transform randomRotate(int[] angles) {
        int[] a = angles.clone();
        return (x, d) -> rotate(x, a[d.random().nextInt(a.length)]);
    }

    /**
     * Rotates about the image centre {@code ((W-1)/2, (H-1)/2)} by {@code degrees} (counter-clockwise
     * on screen, as kornia's {@code get_rotation_matrix2d} + {@code warp_affine}): bilinear, zeros
     * outside, the same size.
     */
    public static NDArray rotate(NDArray x, double degrees) {
        if (degrees == 0) {
            return x;
        }
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        double t = Math.toRadians(degrees);
        double a = Math.cos(t);
        double b = Math.sin(t);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        // dst = A src + c with A = [[a, b], [-b, a]], c = (I - A) centre; src = A^-1 (dst - c)
        double tx = (1 - a) * cx - b * cy;
        double ty = b * cx + (1 - a) * cy;
        // the grid is made by the engine (float64, as the sampler wants it): u = j - tx, v = i - ty, row by row
        NDManager m = x.getManager();
        NDArray u = m.arange(0, w, 1, DataType.FLOAT64).sub(tx).reshape(1, w).broadcast(new Shape(h, w)).flatten();
        NDArray v = m.arange(0, h, 1, DataType.FLOAT64).sub(ty).reshape(h, 1).broadcast(new Shape(h, w)).flatten();
        NDArray xs = u.mul(a).sub(v.mul(b));
        NDArray ys = u.mul(b).add(v.mul(a));
        return Resampling.bilinearAt(x, ys, xs, h, w);
    }

    /**
     * MaCo's random crops: each image of the batch becomes {@code count} crops (image-major), each
     * resized back to the image's size and with Gaussian noise added. A crop's side is drawn from
     * {@code N(box, 0.05)} clipped to [0.05, 1] of the image, where {@code box} shrinks linearly from
     * {@code boxFrom} to {@code boxTo} over the optimisation; its centre from {@code N(0.5, 0.15)}.
     * Xplique's defaults: 32 crops, box 0.5 to 0.05, noise 0.08.
     */
    public static Transform randomCrops(int count, double boxFrom, double boxTo, double noise) {
        if (count < 1) {
            throw new IllegalArgumentException("random crops need a count of at least 1, got " + count);
        }
        return (x, d) -> {
            long[] s = x.getShape().getShape();
            int h = (int) s[2];
            int w = (int) s[3];
            double box = boxFrom + (boxTo - boxFrom) * d.progress();
            List<NDArray> crops = new ArrayList<>();
            for (int n = 0; n < s[0]; n++) {
                NDArray image = x.get(n + ":" + (n + 1));
                for (int k = 0; k < count; k++) {
                    double side = Math.min(1, Math.max(0.05, box + 0.05 * d.random().nextGaussian()));
                    double cy = 0.5 + 0.15 * d.random().nextGaussian();
                    double cx = 0.5 + 0.15 * d.random().nextGaussian();
                    crops.add(crop(image, cy - side / 2, cx - side / 2, side, h, w));
                }
            }
            NDArray out = crops.get(0);
            for (int i = 1; i < crops.size(); i++) {
                out = out.concat(crops.get(i), 0);
            }
            if (noise > 0) {
                NDManager m = out.getManager();
                float[] eps = Noise.gaussian(d.random(), (int) out.getShape().size(), noise);
                out = out.add(Owned.floats(m, eps, out.getShape()));
            }
            return out;
        };
    }

    /**
     * The square window with top-left {@code (top, left)} and side {@code side} (fractions of the
     * image) resampled to {@code outH x outW} ({@code crop_and_resize}: corners at pixel centres,
     * zeros outside).
     */
    public static NDArray crop(NDArray image, double top, double left, double side, int outH, int outW) {
        int h = (int) image.getShape().get(2);
        int w = (int) image.getShape().get(3);
        double[] ys = new double[outH * outW];
        double[] xs = new double[outH * outW];
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                ys[i * outW + j] = (top + side * (outH > 1 ? (double) i / (outH - 1) : 0.5)) * (h - 1);
                xs[i * outW + j] = (left + side * (outW > 1 ? (double) j / (outW - 1) : 0.5)) * (w - 1);
            }
        }
        return Resampling.bilinearAt(image, ys, xs, outH, outW);
    }
}

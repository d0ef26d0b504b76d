package org.loupe.core.images;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Resize;
import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Preprocessing as NDArray operations on batches {@code [N, C, H, W]} of pixel values, which carry
 * gradients (for optimising an input through its preprocessing, see {@code Gradients.of}): resize,
 * crop, pad and normalise, each a small function to chain. {@link #fit} (or {@link #toInput} for
 * a model's {@link InputSpec}) and {@link #normalise} do what {@link ImageTensors#toInput} does on
 * the CPU: the same antialiased bilinear resampling, output geometry and normalisation.
 * {@link #resize} is plain bilinear interpolation (no antialiasing), for transforms that rescale
 * by small factors.
 *
 * @since 0.1
 */
public final class TensorOps {

    private TensorOps() {
    }

    /**
     * Bilinear resize to {@code height x width}, with pixel centres aligned (PyTorch's
     * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing): output pixel
     * {@code i} samples the input at {@code (i + 0.5) * in / out - 0.5}, clamped to the edge pixels.
     */
    public static NDArray resize(NDArray x, int height, int width) {
        requireBatch(x);
        NDArray rows = lerp(x, 2, height);
        NDArray out = lerp(rows, 3, width);
        if (rows != x && rows != out) {
            rows.close();
        }
        return out;
    }

    /** Interpolates {@code x} along {@code axis} to {@code size} samples (no-op if already that size). */
    private static NDArray lerp(NDArray x, int axis, int size) {
        int in = (int) x.getShape().get(axis);
        if (in == size) {
            return x;
        }
        long[] lo = new long[size];
        long[] hi = new long[size];
        float[] frac = new float[size];
        for (int i = 0; i < size; i++) {
            ImageTensors.Tap t = ImageTensors.tap(i, in, size);
            lo[i] = t.lo();
            hi[i] = t.hi();
            frac[i] = t.frac();
        }
        NDManager m = x.getManager();
        try (NDManager tmp = m.newSubManager()) {
            NDArray a = x.gather(owned(tmp.create(lo).reshape(shapeAlong(axis, size)).broadcast(shapeWith(x, axis, size))), axis);
            NDArray b = x.gather(owned(tmp.create(hi).reshape(shapeAlong(axis, size)).broadcast(shapeWith(x, axis, size))), axis);
            NDArray t = owned(tmp.create(frac).reshape(shapeAlong(axis, size)));
            NDArray out = a.add(b.sub(a).mul(t));
            out.attach(m);
            return out;
        }
    }

    private static Shape shapeAlong(int axis, int size) {
        long[] s = {1, 1, 1, 1};
        s[axis] = size;
        return new Shape(s);
    }

    private static Shape shapeWith(NDArray x, int axis, int size) {
        long[] s = x.getShape().getShape().clone();
        s[axis] = size;
        return new Shape(s);
    }

    /** The window {@code height x width} whose top-left pixel is {@code (top, left)}. */
    public static NDArray crop(NDArray x, int top, int left, int height, int width) {
        requireBatch(x);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
            throw new IllegalArgumentException("a crop of " + height + "x" + width + " at (" + top + ", " + left + ") does not fit in a "
                    + h + "x" + w + " image; choose a window inside the image");
        }
        return x.get(":, :, " + top + ":" + (top + height) + ", " + left + ":" + (left + width));
    }

    /**
     * The centred window {@code height x width}, offset as {@link ImageTensors#fit} offsets it
     * ({@code (size - window) / 2}, rounded down).
     */
    public static NDArray centreCrop(NDArray x, int height, int width) {
        requireBatch(x);
        return crop(x, (int) (x.getShape().get(2) - height) / 2, (int) (x.getShape().get(3) - width) / 2, height, width);
    }

    /** Pads each side with {@code value}: {@code top}, {@code bottom}, {@code left}, {@code right} pixels. */
    public static NDArray pad(NDArray x, int top, int bottom, int left, int right, float value) {
        requireBatch(x);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative, got top " + top + ", bottom " + bottom + ", left " + left
                    + ", right " + right + "; use crop to cut an image");
        }
        // pairs from the last dimension: (W left, W right, H top, H bottom)
        return x.pad(new Shape(left, right, top, bottom), value);
    }

    /**
     * Resizes so the shorter side fits and centre-crops to {@code height x width}: the geometry of
     * {@link ImageTensors#fit} (the scaled size rounded to the nearest pixel, at least the window),
     * resampled as {@link #resizeAntialiased}.
     */
    public static NDArray fit(NDArray x, int height, int width) {
        requireBatch(x);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (h == height && w == width) {
            return x;
        }
        int[] scaled = ImageTensors.scaledSize(w, h, width, height);
        NDArray resized = resizeAntialiased(x, scaled[1], scaled[0]);
        return centreCrop(resized, height, width);
    }

    /**
     * Resizes and centre-crops to {@code spec}'s input as its {@link Resize} says, without the
     * normalisation: what {@link ImageTensors#toInput} does before it normalises.
     */
    public static NDArray toInput(NDArray x, InputSpec spec) {
        requireBatch(x);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        int[] scaled = ImageTensors.resizedSize(w, h, spec);
        NDArray resized = scaled[0] == w && scaled[1] == h ? x : resizeAntialiased(x, scaled[1], scaled[0], spec.resize().interpolation());
        int[] offset = ImageTensors.cropOffset(scaled, spec);
        if (offset[0] == 0 && offset[1] == 0 && scaled[0] == spec.width() && scaled[1] == spec.height()) {
            return resized;
        }
        return crop(resized, offset[1], offset[0], spec.height(), spec.width());
    }

    /**
     * PIL's antialiased bilinear resize to {@code height x width} ({@link ImageTensors#antialiasedTaps}),
     * as two matrix products (columns, then rows), so gradients flow to the input.
     */
    public static NDArray resizeAntialiased(NDArray x, int height, int width) {
        return resizeAntialiased(x, height, width, Resize.Interpolation.BILINEAR);
    }

    /**
     * {@link #resizeAntialiased(NDArray, int, int)} with PIL's {@code filter}; bicubic values are
     * clipped to [0, 1] after each pass, as on the CPU path.
     */
    public static NDArray resizeAntialiased(NDArray x, int height, int width, Resize.Interpolation filter) {
        requireBatch(x);
        NDManager m = x.getManager();
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        boolean clip = filter == Resize.Interpolation.BICUBIC;
        try (NDManager tmp = m.newSubManager()) {
            NDArray cols = x;
            if (w != width) {
                cols = x.matMul(owned(tmp.create(matrix(ImageTensors.antialiasedTaps(w, width, filter), w), new Shape(width, w)).transpose()));
                cols.attach(tmp); // an intermediate: closed with tmp unless it is the result
                cols = clip ? cols.clip(0f, 1f) : cols;
            }
            NDArray out = cols;
            if (h != height) {
                out = owned(tmp.create(matrix(ImageTensors.antialiasedTaps(h, height, filter), h), new Shape(height, h))).matMul(cols);
                out = clip ? out.clip(0f, 1f) : out;
            }
            if (out == x) {
                return x;
            }
            out.attach(m);
            return out;
        }
    }

    private static float[] matrix(ImageTensors.Taps taps, int in) {
        int out = taps.first().length;
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            float[] k = taps.weights()[i];
            System.arraycopy(k, 0, m, i * in + taps.first()[i], k.length);
        }
        return m;
    }

    /** {@code (x * scale - mean[c]) / std[c]} per channel: {@link Normalization#apply} on a batch. */
    public static NDArray normalise(NDArray x, Normalization n) {
        requireBatch(x);
        int c = (int) x.getShape().get(1);
        float[] mean = n.mean();
        float[] std = n.std();
        if (mean.length != c) {
            throw new IllegalArgumentException("the normalisation has " + mean.length + " channels but the batch has " + c);
        }
        NDManager m = x.getManager();
        try (NDManager tmp = m.newSubManager()) {
            // the same float operations, in the same order, as the CPU path
            NDArray out = Scalars.mul(x, n.scale()).sub(owned(tmp.create(mean, new Shape(1, c, 1, 1)))).div(owned(tmp.create(std, new Shape(1, c, 1, 1))));
            out.attach(m);
            return out;
        }
    }

    /**
     * A copy of a constant in memory PyTorch owns. An array made by {@code NDManager.create} wraps
     * memory that DJL releases when the array is closed, but a backward pass may still read it
     * (a gather's index, a divisor): a constant that takes part in a differentiable operation
     * and is closed before the backward pass must be copied first.
     */
    private static NDArray owned(NDArray constant) {
        return constant.duplicate();
    }

    private static void requireBatch(NDArray x) {
        if (x.getShape().dimension() != 4 || x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected a float32 batch [N, C, H, W], got " + x.getDataType() + " " + x.getShape());
        }
    }
}

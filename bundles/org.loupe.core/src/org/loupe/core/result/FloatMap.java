package org.loupe.core.result;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A float-valued map kept losslessly: a heat map, an attribution or an attention map of shape
 * {@code [H, W]} or {@code [C, H, W]} (row-major, channel first). The run store keeps it bit for bit
 * as a NumPy {@code .npy} file next to {@code run.json}.
 *
 * @param shape  {@code [H, W]} or {@code [C, H, W]}, each at least 1
 * @param values {@code C * H * W} values (copied; never exposed mutable)
 *
 * @since 0.1
 */
public record FloatMap(int[] shape, float[] values) {

    /** Validates and copies. */
    public FloatMap {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException("a float map is [H, W] or [C, H, W], got " + shape.length + " dimensions");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("a float map's dimensions must be >= 1, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
        shape = shape.clone();
        values = values.clone();
    }

    /** A single-channel map of {@code height x width} values. */
    public static FloatMap of(int height, int width, float[] values) {
        return new FloatMap(new int[] {height, width}, values);
    }

    /** A copy of a 2-d or 3-d array (converted to float32). */
    public static FloatMap of(NDArray array) {
        long[] s = array.getShape().getShape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = Math.toIntExact(s[i]);
        }
        if (array.getDataType() == DataType.FLOAT32) {
            return new FloatMap(shape, array.toFloatArray());
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return new FloatMap(shape, f.toFloatArray());
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** The number of channels (1 for an {@code [H, W]} map). */
    public int channels() {
        return shape.length == 3 ? shape[0] : 1;
    }

    /** The height. */
    public int height() {
        return shape[shape.length - 2];
    }

    /** The width. */
    public int width() {
        return shape[shape.length - 1];
    }

    /** The value at channel {@code c}, row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return values[(c * height() + y) * width() + x];
    }

    /** The smallest finite value (0 if there is none). */
    public double min() {
        double m = Double.POSITIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v) && v < m) {
                m = v;
            }
        }
        return m == Double.POSITIVE_INFINITY ? 0 : m;
    }

    /** The largest finite value (0 if there is none). */
    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v) && v > m) {
                m = v;
            }
        }
        return m == Double.NEGATIVE_INFINITY ? 0 : m;
    }

    /** Writes this map as a NumPy {@code .npy} file (float32, little-endian, C order), as {@code numpy.save} would. */
    public void writeNpy(java.io.OutputStream out) throws java.io.IOException {
        org.loupe.core.internal.Npy.write(this, out);
    }

    /**
     * Reads a float32 {@code .npy} file of 2 or 3 dimensions.
     *
     * @throws java.io.IOException if it is not one; the message says what it holds
     */
    public static FloatMap readNpy(java.io.InputStream in) throws java.io.IOException {
        return org.loupe.core.internal.Npy.read(in);
    }

    /** Equal when the shapes are equal and every value has the same bits. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FloatMap f) || !Arrays.equals(f.shape, shape) || f.values.length != values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (Float.floatToRawIntBits(f.values[i]) != Float.floatToRawIntBits(values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FloatMap" + Arrays.toString(shape);
    }
}

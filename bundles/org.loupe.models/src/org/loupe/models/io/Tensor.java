package org.loupe.models.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor read from a weight file: element type, shape and the raw little-endian bytes
 * (a read-only view; for memory-mapped files no copy is made).
 *
 * @param name  the tensor's name in the file
 * @param dtype the element type
 * @param shape the shape
 * @param data  {@code numel * dtype.bytes()} bytes, little-endian
 *
 * @since 0.1
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    /** Checks the byte count and keeps a read-only little-endian view. */
    public Tensor {
        shape = shape.clone();
        long n = numel(shape);
        if (data.remaining() != n * dtype.bytes()) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(shape) + " and type " + dtype
                    + " needs " + n * dtype.bytes() + " bytes, has " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of elements. */
    public long numel() {
        return numel(shape);
    }

    /** The shape as text, like {@code [64, 3, 7, 7]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    /** The values converted to float (floating types only). */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = data();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' holds " + dtype + ", not floating-point values");
        }
        return out;
    }

    /** IEEE 754 half precision to float (Java 17 has no built-in conversion). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}

package org.loupe.models.io;

/**
 * Element types found in weight files, with their size in bytes.
 *
 * @since 0.1
 */
public enum DType {
    /** 32-bit float. */
    F32(4),
    /** 64-bit float. */
    F64(8),
    /** IEEE half precision. */
    F16(2),
    /** bfloat16. */
    BF16(2),
    /** 64-bit signed integer. */
    I64(8),
    /** 32-bit signed integer. */
    I32(4),
    /** 16-bit signed integer. */
    I16(2),
    /** 8-bit signed integer. */
    I8(1),
    /** 8-bit unsigned integer. */
    U8(1),
    /** Boolean, one byte. */
    BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether this is a floating-point type (weights must be). */
    public boolean isFloating() {
        return this == F32 || this == F64 || this == F16 || this == BF16;
    }
}

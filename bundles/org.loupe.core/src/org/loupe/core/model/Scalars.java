package org.loupe.core.model;

import java.util.function.BinaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic between an array and a number that is safe to differentiate. DJL's PyTorch engine
 * computes {@code x.mul(2)} by wrapping the number in an array whose memory is Java's, and closes
 * that array when the operation returns; a backward pass that saved it (the factor of a product,
 * the divisor of a quotient, the exponent of a power) then reads memory the garbage collector may
 * already have reused, and gradients turn to noise or NaN at random. Every differentiable
 * computation (objectives, transforms, attribution paths) uses these instead of
 * {@code NDArray.mul(Number)} and its siblings; outside gradients either is fine.
 *
 * @since 0.1
 */
public final class Scalars {

    private Scalars() {
    }

    /** A zero-dimensional array holding {@code value}, of {@code like}'s type, in memory PyTorch owns. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * value}. */
    public static NDArray mul(NDArray x, double value) {
        return apply(x, value, NDArray::mul);
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return apply(x, value, NDArray::div);
    }

    /** {@code x + value}. */
    public static NDArray add(NDArray x, double value) {
        return apply(x, value, NDArray::add);
    }

    /** {@code x - value}. */
    public static NDArray sub(NDArray x, double value) {
        return apply(x, value, NDArray::sub);
    }

    /** {@code value - x}. */
    public static NDArray rsub(double value, NDArray x) {
        return apply(x, value, (a, s) -> s.sub(a));
    }

    /** {@code value / x}. */
    public static NDArray rdiv(double value, NDArray x) {
        return apply(x, value, (a, s) -> s.div(a));
    }

    /** {@code x} to the power {@code value}. */
    public static NDArray pow(NDArray x, double value) {
        return apply(x, value, NDArray::pow);
    }

    /** The element-wise maximum of {@code x} and {@code value}. */
    public static NDArray maximum(NDArray x, double value) {
        return apply(x, value, NDArray::maximum);
    }

    /** The element-wise minimum of {@code x} and {@code value}. */
    public static NDArray minimum(NDArray x, double value) {
        return apply(x, value, NDArray::minimum);
    }

    private static NDArray apply(NDArray x, double value, BinaryOperator<NDArray> op) {
        // closing the handle is safe: the memory is PyTorch's and a backward pass holds its own reference
        try (NDArray s = of(x, value)) {
            return op.apply(x, s);
        }
    }
}

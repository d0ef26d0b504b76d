package org.loupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays from Java values in memory that PyTorch owns. {@code NDManager.create} on the PyTorch
 * engine wraps a Java buffer that is released when the array is closed or collected, while a view
 * of it or a backward pass that saved it can still read it: arrays built from Java values that take
 * part in a differentiated computation (constants, index arrays, leaves) are copied through here.
 * For numbers, see {@link Scalars}.
 *
 * @since 0.1
 */
public final class Owned {

    private Owned() {
    }

    /** {@code values} shaped {@code shape}, in {@code manager}. */
    public static NDArray floats(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** {@code values} shaped {@code shape}, in {@code manager}. */
    public static NDArray longs(NDManager manager, long[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** A one-dimensional array of {@code values}, in {@code manager}. */
    public static NDArray floats(NDManager manager, float[] values) {
        return floats(manager, values, new Shape(values.length));
    }
}

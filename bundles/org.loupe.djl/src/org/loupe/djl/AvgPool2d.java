package org.loupe.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.AvgPool2d(kernel, stride, padding)} (zero padding counted in the mean, no ceil mode):
 * DJL's average pooling as a block that says its kernel, stride and padding, so weight analyses can
 * read it as the linear layer it is (a per-channel convolution with the uniform kernel
 * {@code 1 / kernel²}).
 *
 * @since 0.1
 */
public final class AvgPool2d extends AbstractBlock {

    private final int kernel;
    private final int stride;
    private final int padding;

    /** A square {@code kernel x kernel} average pooling. */
    public AvgPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** The window's side. */
    public int kernel() {
        return kernel;
    }

    /** The stride, rows and columns alike. */
    public int stride() {
        return stride;
    }

    /** The zero padding on every side. */
    public int padding() {
        return padding;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(Pool.avgPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding), false, true));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), s.get(1), h, w)};
    }
}

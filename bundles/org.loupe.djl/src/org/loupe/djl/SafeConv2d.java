package org.loupe.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution block with the parameters of DJL's {@code Conv2d} ({@code weight}
 * {@code [out, in/groups, k, k]}, {@code bias} {@code [out]}) that computes through
 * {@link Convolutions#conv2d}, so it is exact where libtorch's oneDNN kernels are not.
 *
 * @since 0.1
 */
public final class SafeConv2d extends AbstractBlock implements Conv2dGeometry {

    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;

    /** A square {@code kernel x kernel} convolution to {@code filters} channels. */
    public SafeConv2d(int filters, int kernel, int stride, int padding, boolean bias, int groups) {
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = bias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build()) : null;
    }

    /** The stride, rows and columns alike. */
    @Override
    public int stride() {
        return stride;
    }

    /** The zero padding on every side. */
    @Override
    public int padding() {
        return padding;
    }

    /** The number of channel groups (1: a plain convolution). */
    @Override
    public int groups() {
        return groups;
    }

    @Override
    protected void prepare(Shape[] inputs) {
        weight.setShape(new Shape(filters, inputs[0].get(1) / groups, kernel, kernel));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return new NDList(Convolutions.conv2d(x, w, b, stride, padding, groups));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), filters, h, w)};
    }
}

package org.loupe.models.cnn;

import org.loupe.djl.Conv2dGeometry;
import org.loupe.djl.Convolutions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * {@code nn.Conv2d}: square kernel, symmetric zero padding, optional bias and groups; computed with
 * {@link Convolutions#conv2d}, which works around libtorch's inexact oneDNN kernels.
 */
final class ConvLayer extends Layer implements Conv2dGeometry {

    private final Parameter weight;
    private final Parameter bias;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;

    ConvLayer(String torchName, int in, int out, int kernel, int stride, int padding, boolean bias, int groups) {
        super(torchName);
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(torchName + ": " + in + " -> " + out + " channels do not split into " + groups + " groups");
        }
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in / groups, kernel, kernel));
        this.bias = bias ? param("bias", Parameter.Type.BIAS, new Shape(out)) : null;
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    @Override
    public int stride() {
        return stride;
    }

    @Override
    public int padding() {
        return padding;
    }

    @Override
    public int groups() {
        return groups;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x) {
        NDArray b = bias == null ? null : value(ps, bias, x);
        NDArray w = value(ps, weight, x);
        return Convolutions.conv2d(x, w, b, stride, padding, groups);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }
}

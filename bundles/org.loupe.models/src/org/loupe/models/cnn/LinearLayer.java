package org.loupe.models.cnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/** {@code nn.Linear} over the last axis (any number of leading axes). */
final class LinearLayer extends Layer {

    private final Parameter weight;
    private final Parameter bias;
    private final int out;

    LinearLayer(String torchName, int in, int out) {
        super(torchName);
        this.out = out;
        this.weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in));
        this.bias = param("bias", Parameter.Type.BIAS, new Shape(out));
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x) {
        return Linear.linear(x, value(ps, weight, x), value(ps, bias, x)).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }
}

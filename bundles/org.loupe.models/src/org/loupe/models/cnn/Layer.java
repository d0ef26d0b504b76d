package org.loupe.models.cnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A layer with parameters of known shapes, named after the PyTorch module it mirrors. Layers are
 * children of a {@link Net}, which calls {@link #apply} from its own forward pass; the parameter
 * shapes are fixed at construction, so no shape inference is needed before the weights are bound.
 */
abstract class Layer extends AbstractBlock {

    private final String torchName;

    Layer(String torchName) {
        this.torchName = torchName;
    }

    /** The PyTorch module path ({@code layer1.0.conv1}); tensors are {@code <path>.weight} etc. */
    String torchName() {
        return torchName;
    }

    /** Runs the layer. */
    abstract NDArray apply(ParameterStore ps, NDArray x);

    /** A parameter of a fixed shape, zero until the weights are bound. */
    final Parameter param(String name, Parameter.Type type, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(Initializer.ZEROS).build());
    }

    static NDArray value(ParameterStore ps, Parameter p, NDArray like) {
        return ps.getValue(p, like.getDevice(), false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow()));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + torchName + ")";
    }
}

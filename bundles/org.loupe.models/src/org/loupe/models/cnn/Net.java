package org.loupe.models.cnn;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.models.WeightBinder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * The base of Loupe's CNN architectures: one DJL block whose children are the parameter layers
 * and the hook points, with the forward pass written out in {@link #forward}. Every layer is
 * created with the PyTorch name of its module and registered with the {@link WeightBinder}, so the
 * expected tensors and their shapes are known before anything is read.
 */
abstract class Net extends AbstractBlock {

    private final WeightBinder binder = new WeightBinder();
    private final int outputs;

    Net(int outputs) {
        this.outputs = outputs;
    }

    /** The number of outputs (classes). */
    int outputs() {
        return outputs;
    }

    /** The tensors the network expects, by PyTorch name. */
    WeightBinder binder() {
        return binder;
    }

    /**
     * The forward pass on a preprocessed batch {@code [N, C, H, W]}; returns the logits. The input
     * belongs to the caller and stays open; intermediates are closed as they die ({@link #then}).
     */
    abstract NDArray forward(ParameterStore ps, NDArray x);

    /**
     * Closes {@code dead}, an intermediate the forward pass no longer needs, and returns
     * {@code next}, computed from it: {@code x = then(x, f(x))}. Freed intermediates are memory
     * libtorch reuses within the pass, as PyTorch does, instead of fresh pages for every layer;
     * recorded activations are separate handles and stay valid (see {@link HookBlock}).
     */
    static NDArray then(NDArray dead, NDArray next) {
        if (dead != next) {
            dead.close();
        }
        return next;
    }

    /** Allocates every parameter (zeros) in {@code manager}; the binder fills them. */
    void allocate(NDManager manager) {
        for (Pair<String, Parameter> p : getParameters()) {
            p.getValue().initialize(manager, DataType.FLOAT32);
        }
    }

    final ConvLayer conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) {
        return conv(name, in, out, kernel, stride, padding, bias, 1);
    }

    final ConvLayer conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias, int groups) {
        ConvLayer c = addChildBlock(name, new ConvLayer(name, in, out, kernel, stride, padding, bias, groups));
        binder.expect(name + ".weight", c.weight());
        if (c.bias() != null) {
            binder.expect(name + ".bias", c.bias());
        }
        return c;
    }

    final BatchNormLayer batchNorm(String name, int channels, float eps) {
        BatchNormLayer b = addChildBlock(name, new BatchNormLayer(name, channels, eps));
        binder.expect(name + ".weight", b.gamma()).expect(name + ".bias", b.beta()).expect(name + ".running_mean", b.runningMean())
                .expect(name + ".running_var", b.runningVar());
        return b;
    }

    final LinearLayer linear(String name, int in, int out) {
        LinearLayer l = addChildBlock(name, new LinearLayer(name, in, out));
        binder.expect(name + ".weight", l.weight()).expect(name + ".bias", l.bias());
        return l;
    }

    final LayerNormLayer layerNorm(String name, int channels, float eps, boolean channelsFirst) {
        LayerNormLayer l = addChildBlock(name, new LayerNormLayer(name, channels, eps, channelsFirst));
        binder.expect(name + ".weight", l.gamma()).expect(name + ".bias", l.beta());
        return l;
    }

    /** A bare tensor such as ConvNeXt's {@code layer_scale}, owned by the network itself. */
    final Parameter tensor(String name, Shape shape) {
        Parameter p = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(Initializer.ZEROS).build());
        binder.expect(name, p);
        return p;
    }

    final HookBlock hook(String name, HookKind kind) {
        return addChildBlock(name, new HookBlock(name, kind));
    }

    /** A hook on a conv map: {@link HookKind#CONV_CHANNELS}. */
    final HookBlock hook(String name) {
        return hook(name, HookKind.CONV_CHANNELS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow()));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " (" + getChildren().size() + " layers and hook points, " + outputs + " outputs)";
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }
}

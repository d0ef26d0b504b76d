package org.loupe.models.cnn;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.core.model.blocks.Resumable;
import org.loupe.core.model.blocks.Trunk;
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
 * and the hook points, with the forward pass written out as a {@link Trunk} (the main path, whose
 * hook points are resumable; branches and residual blocks are steps of it). Every layer is
 * created with the PyTorch name of its module and registered with the {@link WeightBinder}, so the
 * expected tensors and their shapes are known before anything is read.
 */
abstract class Net extends AbstractBlock implements Resumable {

    private final WeightBinder binder = new WeightBinder();
    private final int outputs;
    /** The forward pass; subclasses fill it in their constructors. */
    final Trunk trunk = new Trunk();

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

    @Override
    public Trunk trunk() {
        return trunk;
    }

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

    final HookBlock hook(String name, HookKind kind, HookRole role, int block) {
        return addChildBlock(name, new HookBlock(name, kind, role, block, null));
    }

    /** A hook on a conv map ({@link HookKind#CONV_CHANNELS}) in block {@code block} (-1: outside blocks). */
    final HookBlock hook(String name, HookRole role, int block) {
        return hook(name, HookKind.CONV_CHANNELS, role, block);
    }

    /** A hook on a conv map outside blocks. */
    final HookBlock hook(String name, HookRole role) {
        return hook(name, role, -1);
    }

    /** The forward pass on a preprocessed batch {@code [N, C, H, W]}; the input stays open. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(trunk.forward(ps, inputs.singletonOrThrow(), training));
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

package org.loupe.models.cnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;

/** {@code nn.BatchNorm2d} in eval mode: normalises with the running statistics. */
final class BatchNormLayer extends Layer {

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final float eps;

    BatchNormLayer(String torchName, int channels, float eps) {
        super(torchName);
        Shape c = new Shape(channels);
        this.gamma = param("gamma", Parameter.Type.GAMMA, c);
        this.beta = param("beta", Parameter.Type.BETA, c);
        this.runningMean = param("runningMean", Parameter.Type.RUNNING_MEAN, c);
        this.runningVar = param("runningVar", Parameter.Type.RUNNING_VAR, c);
        this.eps = eps;
    }

    Parameter gamma() {
        return gamma;
    }

    Parameter beta() {
        return beta;
    }

    Parameter runningMean() {
        return runningMean;
    }

    Parameter runningVar() {
        return runningVar;
    }

    float eps() {
        return eps;
    }

    /**
     * {@code F.batch_norm} on axis 1. DJL's axis -1 means "libtorch's own layout" and calls it
     * directly; axis 1 would transpose axis 1 with itself around the call, two more ops per layer.
     */
    @Override
    NDArray apply(ParameterStore ps, NDArray x) {
        return BatchNorm.batchNorm(x, value(ps, runningMean, x), value(ps, runningVar, x), value(ps, gamma, x), value(ps, beta, x), -1,
                0.1f, eps, false).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return in;
    }
}

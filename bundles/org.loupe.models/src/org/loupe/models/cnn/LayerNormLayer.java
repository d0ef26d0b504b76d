package org.loupe.models.cnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/**
 * {@code nn.LayerNorm(C)} over the last axis, or torchvision's {@code LayerNorm2d} over the channel
 * axis of an {@code [N, C, H, W]} map (permute to channels-last, normalise, permute back).
 */
final class LayerNormLayer extends Layer {

    private final Parameter gamma;
    private final Parameter beta;
    private final Shape normalized;
    private final float eps;
    private final boolean channelsFirst;

    LayerNormLayer(String torchName, int channels, float eps, boolean channelsFirst) {
        super(torchName);
        this.normalized = new Shape(channels);
        this.gamma = param("gamma", Parameter.Type.GAMMA, normalized);
        this.beta = param("beta", Parameter.Type.BETA, normalized);
        this.eps = eps;
        this.channelsFirst = channelsFirst;
    }

    Parameter gamma() {
        return gamma;
    }

    Parameter beta() {
        return beta;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x) {
        if (!channelsFirst) {
            return LayerNorm.layerNorm(x, normalized, value(ps, gamma, x), value(ps, beta, x), eps).singletonOrThrow();
        }
        NDArray in = x.transpose(0, 2, 3, 1);
        NDArray y = LayerNorm.layerNorm(in, normalized, value(ps, gamma, x), value(ps, beta, x), eps).singletonOrThrow();
        NDArray out = y.transpose(0, 3, 1, 2);
        new NDList(in, y).close();
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return in;
    }
}

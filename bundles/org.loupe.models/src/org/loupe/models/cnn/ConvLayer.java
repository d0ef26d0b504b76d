package org.loupe.models.cnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * {@code nn.Conv2d}: square kernel, symmetric zero padding, optional bias and groups.
 *
 * <p>libtorch 2.7.1's oneDNN forward convolution returns wrong values on this project's AVX-512
 * machines when a dense convolution with a kernel larger than 1x1 has more than 16 input channels
 * and their number is not a multiple of 16 (GoogLeNet's and InceptionV1's 24-channel 5x5 branches
 * of mixed4b/4c were off by up to 30% of the activation scale; 1x1, depthwise, 16k-channel and
 * up-to-16-channel convolutions were exact in 1500 random configurations). Such layers append zero
 * channels to the input and the weight up to the next multiple of 16, which gives the exact result
 * through the same fast kernels.
 */
final class ConvLayer extends Layer {

    private final Parameter weight;
    private final Parameter bias;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final int zeroChannels;

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
        this.zeroChannels = groups == 1 && kernel > 1 && in > 16 && in % 16 != 0 ? 16 - in % 16 : 0;
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
    NDArray apply(ParameterStore ps, NDArray x) {
        NDArray b = bias == null ? null : value(ps, bias, x);
        NDArray w = value(ps, weight, x);
        if (zeroChannels > 0) {
            // pad dimension 1 (channels) at its end: (W left, W right, H top, H bottom, C front, C back)
            Shape pad = new Shape(0, 0, 0, 0, 0, zeroChannels);
            x = x.pad(pad, 0);
            w = w.pad(pad, 0);
        }
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape s = in[0];
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }
}

package org.loupe.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * 2-D convolution that is exact on every CPU libtorch 2.7.1 runs on.
 *
 * <p>libtorch 2.7.1's oneDNN forward convolution returns wrong values on AVX-512 machines when a
 * dense convolution with a kernel larger than 1x1 has more than 16 input channels and their number
 * is not a multiple of 16 (GoogLeNet's and InceptionV1's 24-channel 5x5 branches were off by up to
 * 30 % of the activation scale; 1x1, grouped, 16k-channel and up-to-16-channel convolutions were
 * exact in 1,500 random configurations). Such convolutions get zero channels appended to input and
 * weight up to the next multiple of 16, which leaves the result unchanged mathematically and runs
 * through the exact kernels. Use this, or {@link SafeConv2d}, instead of {@code Conv2d} directly.
 */
public final class Convolutions {

    private Convolutions() {
    }

    /**
     * Zero channels to append to {@code in} input channels of a convolution whose kernel has
     * {@code kernelArea} taps (0 when the kernels are exact as they are).
     */
    public static int paddingChannels(long in, long kernelArea, int groups) {
        return groups == 1 && kernelArea > 1 && in > 16 && in % 16 != 0 ? (int) (16 - in % 16) : 0;
    }

    /**
     * {@code conv2d(x, w, b)} with square stride and padding, no dilation.
     *
     * @param bias may be null
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        int extra = paddingChannels(x.getShape().get(1), weight.getShape().get(2) * weight.getShape().get(3), groups);
        NDArray in = x;
        NDArray w = weight;
        if (extra > 0) {
            // pad dimension 1 (channels) at its end: (W left, W right, H top, H bottom, C front, C back)
            Shape pad = new Shape(0, 0, 0, 0, 0, extra);
            in = x.pad(pad, 0);
            w = weight.pad(pad, 0);
            w.attach(x.getManager()); // a temporary: not the weights' manager's to keep
        }
        NDArray y = Conv2d.conv2d(in, w, bias, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), groups).singletonOrThrow();
        if (extra > 0) {
            in.close();
            w.close();
        }
        return y;
    }
}

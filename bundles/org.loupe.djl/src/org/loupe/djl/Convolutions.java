package org.loupe.djl;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * 2-D convolution that is exact on every CPU libtorch 2.7.1 runs on, forward and backward, with
 * libtorch's oneDNN kernels left on.
 *
 * <p>libtorch 2.7.1's oneDNN convolutions are wrong on AVX-512 machines in two families of shapes,
 * both only for dense ({@code groups == 1}) convolutions with a kernel larger than 1x1:
 * <ul>
 * <li><b>forward</b>, when there are more than 16 input channels and their number is not a
 * multiple of 16 (GoogLeNet's and InceptionV1's 24-channel 5x5 branches were off by up to 30 % of
 * the activation scale);
 * <li><b>backward data</b> (the input gradient), when the number of output channels is not a
 * multiple of 16 (1-15, 17, 20, 24, 31 output channels: errors of 10-70 % of the gradient's scale or
 * NaN, changing between identical calls; 16, 32, 48, 64, 80 and 96 were exact, as were 1x1, grouped
 * and depthwise convolutions, in 200 configurations of batch, size, stride and dilation).
 * </ul>
 * Such convolutions get zero input channels appended to input and weight, and zero filters
 * appended to weight and bias, up to the next multiple of 16; the extra output channels are cut
 * off again. That leaves the result and its gradients unchanged mathematically and runs through
 * the exact kernels.
 *
 * <p>Besides, the backward pass of a <b>1x1 convolution with a stride</b> larger than 1 kills the
 * process in oneDNN (SIGFPE in {@code brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1}) for
 * some channel counts, ResNet's downsampling shortcuts among them: 256 -> 1024, 512 -> 1024,
 * 1024 -> 512 and 1024 -> 2048 channels crashed, at batch 1, 2 and 16, with 1 and 2 threads, while
 * 64 -> 1024, 256 -> 2048 and 2048 -> 512 did not. Here such a convolution takes every
 * {@code stride}-th pixel first and then convolves with stride 1: the same result, computed by
 * kernels that work. A convolution whose kernel tiles the image (a patch embedding) is computed as
 * a matrix product. Use this, or {@link SafeConv2d}, instead of
 * {@code Conv2d} directly.
 *
 * @since 0.1
 */
public final class Convolutions {

    private static final int EXACT_MULTIPLE = 16;

    private Convolutions() {
    }

    /**
     * Zero channels to append to {@code in} input channels of a convolution whose kernel has
     * {@code kernelArea} taps (0 when the forward kernels are exact as they are).
     */
    public static int paddingChannels(long in, long kernelArea, int groups) {
        return groups == 1 && kernelArea > 1 && in > EXACT_MULTIPLE && in % EXACT_MULTIPLE != 0 ? toMultiple(in) : 0;
    }

    /**
     * Zero filters to append to {@code out} output channels of a convolution whose kernel has
     * {@code kernelArea} taps (0 when oneDNN's backward-data kernels are exact as they are).
     */
    public static int paddingFilters(long out, long kernelArea, int groups) {
        return groups == 1 && kernelArea > 1 && out % EXACT_MULTIPLE != 0 ? toMultiple(out) : 0;
    }

    /**
     * Whether libtorch 2.7.1's oneDNN kernels give wrong input gradients for a convolution with
     * this weight {@code [out, in/groups, kh, kw]}: a dense convolution with a kernel larger than
     * 1x1 whose output channels are not a multiple of 16. With the group count unknown (a
     * TorchScript module's weights), pass 1: the answer errs on the safe side.
     */
    public static boolean wrongBackwardWithOneDnn(Shape weight, int groups) {
        return weight.dimension() == 4 && paddingFilters(weight.get(0), weight.get(2) * weight.get(3), groups) > 0;
    }

    /**
     * Whether the backward pass of a convolution with this weight {@code [out, in, 1, 1]} could
     * crash in oneDNN if it were strided (a weight does not show the stride): a 1x1 kernel with at
     * least 256 input channels, where every crash was seen (see the class comment).
     */
    public static boolean mayCrashBackwardWithOneDnnIfStrided(Shape weight) {
        return weight.dimension() == 4 && weight.get(2) == 1 && weight.get(3) == 1 && weight.get(1) >= 256;
    }

    private static int toMultiple(long n) {
        return (int) (EXACT_MULTIPLE - n % EXACT_MULTIPLE);
    }

    /**
     * {@code conv2d(x, w, b)} with square stride and padding, no dilation.
     *
     * @param bias may be null
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        long k = weight.getShape().get(2);
        if (groups == 1 && padding == 0 && k > 1 && k == stride && weight.getShape().get(3) == k) {
            return patches(x, weight, bias, (int) k);
        }
        long area = weight.getShape().get(2) * weight.getShape().get(3);
        int extraIn = paddingChannels(x.getShape().get(1), area, groups);
        long out = weight.getShape().get(0);
        int extraOut = paddingFilters(out, area, groups);
        NDArray in = x;
        NDArray w = weight;
        NDArray b = bias;
        if (extraIn > 0) {
            // pad dimension 1 (channels) at its end: (W left, W right, H top, H bottom, C front, C back)
            Shape pad = new Shape(0, 0, 0, 0, 0, extraIn);
            in = x.pad(pad, 0);
            w = temporary(weight.pad(pad, 0), x);
        }
        if (extraOut > 0) {
            // pad dimension 0 (filters) at its end
            NDArray padded = temporary(w.pad(new Shape(0, 0, 0, 0, 0, 0, 0, extraOut), 0), x);
            if (w != weight) {
                w.close();
            }
            w = padded;
            b = bias == null ? null : temporary(bias.pad(new Shape(0, extraOut), 0), x);
        }
        int step = stride;
        int pad = padding;
        if (area == 1 && stride > 1) {
            // take every stride-th pixel, then a stride-1 1x1 convolution (see the class comment)
            NDArray padded = padding > 0 ? in.pad(new Shape(padding, padding, padding, padding), 0) : in;
            NDArray sampled = padded.get(":, :, ::" + stride + ", ::" + stride);
            if (padded != in) {
                padded.close();
            }
            if (in != x) {
                in.close();
            }
            in = sampled;
            step = 1;
            pad = 0;
        }
        NDArray y = Conv2d.conv2d(in, w, b, new Shape(step, step), new Shape(pad, pad), new Shape(1, 1), groups).singletonOrThrow();
        if (extraOut > 0) {
            NDArray all = y;
            y = all.get(":, :" + out);
            all.close();
        }
        if (in != x) {
            in.close();
        }
        if (w != weight) {
            w.close();
        }
        if (b != bias) {
            b.close();
        }
        return y;
    }

    /**
     * A convolution whose kernel tiles the image ({@code kernel == stride}, no padding: a ViT's or
     * ConvNeXt's patch embedding) as the matrix product it is: each {@code k x k} patch, flattened,
     * times the flattened filters. oneDNN's backward for such convolutions once returned NaN in the
     * last element of a ViT's input gradient (an input {@code [2, 3, 64, 64]}, 8x8 patches, 192
     * filters), which no isolated rerun reproduced; the product runs no oneDNN convolution.
     */
    private static NDArray patches(NDArray x, NDArray weight, NDArray bias, int k) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long rows = s.get(2) / k;
        long cols = s.get(3) / k;
        long out = weight.getShape().get(0);
        List<NDArray> temporaries = new ArrayList<>();
        NDArray covered = s.get(2) == rows * k && s.get(3) == cols * k ? x : temporary(x.get(":, :, :" + rows * k + ", :" + cols * k), temporaries);
        // [N, C, rows, k, cols, k] -> [N, rows, cols, C, k, k] -> [N * rows * cols, C * k * k]
        NDArray split = temporary(covered.reshape(n, c, rows, k, cols, k), temporaries);
        NDArray moved = temporary(split.transpose(0, 2, 4, 1, 3, 5), temporaries);
        NDArray flat = temporary(moved.reshape(n * rows * cols, c * k * k), temporaries);
        NDArray filters = temporary(weight.reshape(out, c * k * k), temporaries);
        NDArray product = temporary(flat.matMul(temporary(filters.transpose(), temporaries)), temporaries);
        NDArray y = bias == null ? product : temporary(product.add(bias), temporaries);
        NDArray result = temporary(y.reshape(n, rows, cols, out), temporaries).transpose(0, 3, 1, 2);
        temporaries.forEach(NDArray::close);
        return result;
    }

    private static NDArray temporary(NDArray a, List<NDArray> temporaries) {
        temporaries.add(a);
        return a;
    }

    /** A temporary made from the weights: the input's manager's to release, not the weights'. */
    private static NDArray temporary(NDArray a, NDArray x) {
        a.attach(x.getManager());
        return a;
    }
}

package org.loupe.models.cnn;

import java.util.List;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/**
 * InceptionV1 as Lucid's {@code inception5h} graph and Lucent's port lay it out: no batch norm,
 * TensorFlow-style explicit padding before 'valid' convolutions and pools, local response
 * normalisation after {@code conv2d0}'s pool and after {@code conv2d2}, nine mixed blocks, and a
 * 1008-way classifier. Names follow Lucent: tensors {@code mixed4a_3x3_pre_relu_conv.weight};
 * hook points {@code mixed4a_3x3_pre_relu_conv} (pre-ReLU) and {@code mixed4a_3x3} (post-ReLU) for
 * every convolution, {@code mixed4a_pool} (the branch pool), {@code mixed4a} (the concatenated
 * block output), {@code maxpool0}, {@code localresponsenorm0}, ..., {@code avgpool0} (vector) and
 * {@code softmax2_pre_activation_matmul} (logits; the model returns logits, not Lucent's softmax).
 * Hook points between blocks are resumable (the stem's convolutions before and after their ReLU, the
 * norms and pools, the mixed block outputs); those inside a mixed block are not.
 */
final class InceptionV1 extends Net {

    /** A mixed block: 1x1, 3x3 bottleneck, 3x3, 5x5 bottleneck, 5x5, pool reduce channels. */
    record Mixed(String name, int c1, int c3r, int c3, int c5r, int c5, int cp) {
        int out() {
            return c1 + c3 + c5 + cp;
        }
    }

    /** inception5h's blocks (mixed4a's 3x3 has 204 channels, not the paper's 208). */
    static final List<Mixed> INCEPTION5H = List.of(
            new Mixed("mixed3a", 64, 96, 128, 16, 32, 32),
            new Mixed("mixed3b", 128, 128, 192, 32, 96, 64),
            new Mixed("mixed4a", 192, 96, 204, 16, 48, 64),
            new Mixed("mixed4b", 160, 112, 224, 24, 64, 64),
            new Mixed("mixed4c", 128, 128, 256, 24, 64, 64),
            new Mixed("mixed4d", 112, 144, 288, 32, 64, 64),
            new Mixed("mixed4e", 256, 160, 320, 32, 128, 128),
            new Mixed("mixed5a", 256, 160, 320, 48, 128, 128),
            new Mixed("mixed5b", 384, 192, 384, 48, 128, 128));

    /** Lucent's LRN: {@code F.local_response_norm(x, size=9, alpha=9.99999974738e-05, beta=0.5, k=1)}. */
    private static final int LRN_SIZE = 9;
    private static final float LRN_ALPHA = 9.99999974738e-05f;
    private static final float LRN_BETA = 0.5f;
    private static final float LRN_K = 1f;


    /** A convolution (after zero padding {@code left, right, top, bottom}) and its ReLU. */
    private final class ConvRelu {
        final ConvLayer conv;
        final int[] pad;
        final HookBlock hPre;
        final HookBlock hOut;

        ConvRelu(String name, int block, int in, int out, int kernel, int stride, int... pad) {
            conv = conv(name + "_pre_relu_conv", in, out, kernel, stride, 0, true);
            this.pad = pad;
            hPre = hook(name + "_pre_relu_conv", HookRole.CONV_OUT, block);
            hOut = hook(name, HookRole.ACT, block);
        }

        /** The unit's output; {@code x} stays open (the caller owns it), every temporary is closed. */
        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray pre = hPre.apply(convolve(ps, x));
            return then(pre, hOut.apply(Ops.relu(pre)));
        }

        /** The convolution alone, before its hook point. */
        NDArray convolve(ParameterStore ps, NDArray x) {
            NDArray in = pad.length == 4 ? Ops.pad(x, pad[0], pad[1], pad[2], pad[3], 0) : x;
            NDArray out = conv.apply(ps, in);
            if (in != x) {
                in.close();
            }
            return out;
        }

        /** Adds the unit to the trunk: convolution, its hook point, ReLU, its hook point (both resumable). */
        void onTrunk() {
            trunk.step((ps, x, t) -> convolve(ps, x)).hook(hPre).step((ps, x, t) -> Ops.relu(x)).hook(hOut);
        }
    }

    private final class MixedBlock {
        final ConvRelu b1;
        final ConvRelu b3r;
        final ConvRelu b3;
        final ConvRelu b5r;
        final ConvRelu b5;
        final ConvRelu pr;
        final HookBlock hPool;
        final HookBlock hOut;
        final String name;

        MixedBlock(Mixed m, int index, int in) {
            name = m.name();
            b1 = new ConvRelu(name + "_1x1", index, in, m.c1(), 1, 1);
            b3r = new ConvRelu(name + "_3x3_bottleneck", index, in, m.c3r(), 1, 1);
            b5r = new ConvRelu(name + "_5x5_bottleneck", index, in, m.c5r(), 1, 1);
            hPool = hook(name + "_pool", HookRole.POOL, index);
            pr = new ConvRelu(name + "_pool_reduce", index, in, m.cp(), 1, 1);
            b3 = new ConvRelu(name + "_3x3", index, m.c3r(), m.c3(), 3, 1, 1, 1, 1, 1);
            b5 = new ConvRelu(name + "_5x5", index, m.c5r(), m.c5(), 5, 1, 2, 2, 2, 2);
            hOut = hook(name, HookRole.BLOCK_OUT, index);
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray y1 = b1.apply(ps, x);
            NDArray r3 = b3r.apply(ps, x);
            NDArray y3 = then(r3, b3.apply(ps, r3));
            NDArray r5 = b5r.apply(ps, x);
            NDArray y5 = then(r5, b5.apply(ps, r5));
            NDArray pooled = hPool.apply(maxPool(x, 1));
            NDArray yp = then(pooled, pr.apply(ps, pooled));
            NDArray out = Ops.concatChannels(y1, y3, y5, yp);
            new NDList(y1, y3, y5, yp).close();
            return out;
        }
    }

    InceptionV1(int classes) {
        super(classes);
        new ConvRelu("conv2d0", -1, 3, 64, 7, 2, 2, 3, 2, 3).onTrunk();
        trunk.step((ps, x, t) -> maxPool(x, 2)).hook(hook("maxpool0", HookRole.POOL))
                .step((ps, x, t) -> lrn(x)).hook(hook("localresponsenorm0", HookRole.NORM));
        new ConvRelu("conv2d1", -1, 64, 64, 1, 1).onTrunk();
        new ConvRelu("conv2d2", -1, 64, 192, 3, 1, 1, 1, 1, 1).onTrunk();
        trunk.step((ps, x, t) -> lrn(x)).hook(hook("localresponsenorm1", HookRole.NORM))
                .step((ps, x, t) -> maxPool(x, 2)).hook(hook("maxpool1", HookRole.POOL));
        int in = 192;
        for (int i = 0; i < INCEPTION5H.size(); i++) {
            Mixed m = INCEPTION5H.get(i);
            if (m.name().equals("mixed4a")) {
                trunk.step((ps, x, t) -> maxPool(x, 2)).hook(hook("maxpool4", HookRole.POOL));
            } else if (m.name().equals("mixed5a")) {
                trunk.step((ps, x, t) -> maxPool(x, 2)).hook(hook("maxpool10", HookRole.POOL));
            }
            MixedBlock block = new MixedBlock(m, i, in);
            trunk.step((ps, x, t) -> block.apply(ps, x)).hook(block.hOut);
            in = m.out();
        }
        // Lucent: 7x7 average pool + reshape; at 224x224 input that is the global average
        HookBlock hAvgpool = hook("avgpool0", HookKind.VECTOR, HookRole.POOLED, -1);
        LinearLayer logits = linear("softmax2_pre_activation_matmul", in, classes);
        HookBlock hLogits = hook("softmax2_pre_activation_matmul", HookKind.LOGITS, HookRole.LOGITS, -1);
        trunk.step((ps, x, t) -> Ops.globalAvgPool(x)).hook(hAvgpool)
                .step((ps, x, t) -> logits.apply(ps, x)).hook(hLogits);
    }

    private static NDArray lrn(NDArray x) {
        return Ops.localResponseNorm(x, LRN_SIZE, LRN_ALPHA, LRN_BETA, LRN_K);
    }

    /**
     * Lucent's max pools, which pad with -inf ((0, 1, 0, 1) for stride 2, 1 all round for stride 1) and
     * pool 3x3 'valid': the same maxima as the pool's own padding, which is -inf, without a padded
     * copy. Stride 2: ceil mode gives the window that the right and bottom padding completes;
     * stride 1: padding 1.
     */
    static NDArray maxPool(NDArray x, int stride) {
        return stride == 2 ? Ops.maxPool(x, 3, 2, 0, true) : Ops.maxPool(x, 3, 1, 1, false);
    }
}

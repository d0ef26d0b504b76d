package org.loupe.models.cnn;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * torchvision's GoogLeNet (Inception v1 with batch norm) in eval mode, with torchvision's module
 * names. The auxiliary classifiers ({@code aux1}, {@code aux2}) do not take part in eval-mode
 * inference and are not built. Hook points: every {@code BasicConv2d} as {@code <name>.conv},
 * {@code <name>.bn} (pre-ReLU) and {@code <name>} (its output); every inception branch output
 * ({@code inception3a.branch1} .. {@code branch4}, and the branch-4 pool {@code branch4.0}); every
 * inception block output ({@code inception3a}); the pools {@code maxpool1}..{@code maxpool4};
 * {@code avgpool} (vector) and {@code fc} (logits). Hook points between blocks (each stem unit's
 * output, the pools, the inception block outputs) are resumable; those inside a unit or a branch are not.
 */
final class GoogLeNet extends Net {

    /** Inception blocks: name, in, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5 (a 3x3 in torchvision), pool proj. */
    static final Object[][] INCEPTIONS = {
        {"inception3a", 192, 64, 96, 128, 16, 32, 32},
        {"inception3b", 256, 128, 128, 192, 32, 96, 64},
        {"inception4a", 480, 192, 96, 208, 16, 48, 64},
        {"inception4b", 512, 160, 112, 224, 24, 64, 64},
        {"inception4c", 512, 128, 128, 256, 24, 64, 64},
        {"inception4d", 512, 112, 144, 288, 32, 64, 64},
        {"inception4e", 528, 256, 160, 320, 32, 128, 128},
        {"inception5a", 832, 256, 160, 320, 32, 128, 128},
        {"inception5b", 832, 384, 192, 384, 48, 128, 128},
    };

    private static final float EPS = 1e-3f;


    /** torchvision's {@code BasicConv2d}: conv without bias, batch norm (eps 1e-3), ReLU. */
    private final class BasicConv {
        final ConvBn convBn;
        final HookBlock hBn;
        final HookBlock hOut;

        BasicConv(String name, int block, int in, int out, int kernel, int stride, int padding) {
            ConvLayer conv = conv(name + ".conv", in, out, kernel, stride, padding, false);
            HookBlock hConv = hook(name + ".conv", HookRole.CONV_OUT, block);
            convBn = new ConvBn(conv, hConv, batchNorm(name + ".bn", out, EPS));
            hBn = hook(name + ".bn", HookRole.NORM, block);
            hOut = hook(name, HookRole.ACT, block);
        }

        /** The unit's output, through its hook point; {@code x} stays open (the caller owns it), every temporary is closed. */
        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray y = preHook(ps, x);
            return then(y, hOut.apply(y));
        }

        /** The unit's output before its own hook point (for the trunk, which applies it). */
        NDArray preHook(ParameterStore ps, NDArray x) {
            NDArray y = hBn.apply(convBn.apply(ps, x));
            return then(y, Ops.relu(y));
        }
    }

    /** An inception block: four branches concatenated. */
    private final class Inception {
        final BasicConv b1;
        final BasicConv b2r;
        final BasicConv b2;
        final BasicConv b3r;
        final BasicConv b3;
        final BasicConv b4;
        final HookBlock hB2;
        final HookBlock hB3;
        final HookBlock hPool;
        final HookBlock hB4;
        final HookBlock hOut;

        Inception(Object[] c, int index) {
            String n = (String) c[0];
            int in = (Integer) c[1];
            b1 = new BasicConv(n + ".branch1", index, in, (Integer) c[2], 1, 1, 0);
            b2r = new BasicConv(n + ".branch2.0", index, in, (Integer) c[3], 1, 1, 0);
            b2 = new BasicConv(n + ".branch2.1", index, (Integer) c[3], (Integer) c[4], 3, 1, 1);
            hB2 = hook(n + ".branch2", HookRole.BRANCH, index);
            b3r = new BasicConv(n + ".branch3.0", index, in, (Integer) c[5], 1, 1, 0);
            b3 = new BasicConv(n + ".branch3.1", index, (Integer) c[5], (Integer) c[6], 3, 1, 1);
            hB3 = hook(n + ".branch3", HookRole.BRANCH, index);
            hPool = hook(n + ".branch4.0", HookRole.POOL, index);
            b4 = new BasicConv(n + ".branch4.1", index, in, (Integer) c[7], 1, 1, 0);
            hB4 = hook(n + ".branch4", HookRole.BRANCH, index);
            hOut = hook(n, HookRole.BLOCK_OUT, index);
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray y1 = b1.apply(ps, x);
            NDArray r2 = b2r.apply(ps, x);
            NDArray y2 = then(r2, hB2.apply(b2.apply(ps, r2)));
            NDArray r3 = b3r.apply(ps, x);
            NDArray y3 = then(r3, hB3.apply(b3.apply(ps, r3)));
            NDArray pooled = hPool.apply(Ops.maxPool(x, 3, 1, 1, true));
            NDArray y4 = then(pooled, hB4.apply(b4.apply(ps, pooled)));
            NDArray out = Ops.concatChannels(y1, y2, y3, y4);
            new NDList(y1, y2, y3, y4).close();
            return out;
        }
    }


    GoogLeNet(int classes, boolean transformInput) {
        super(classes);
        BasicConv conv1 = new BasicConv("conv1", -1, 3, 64, 7, 2, 3);
        HookBlock hMaxpool1 = hook("maxpool1", HookRole.POOL);
        BasicConv conv2 = new BasicConv("conv2", -1, 64, 64, 1, 1, 0);
        BasicConv conv3 = new BasicConv("conv3", -1, 64, 192, 3, 1, 1);
        HookBlock hMaxpool2 = hook("maxpool2", HookRole.POOL);
        trunk.step((ps, x, t) -> {
            if (!transformInput) {
                return conv1.preHook(ps, x);
            }
            NDArray in = transform(x);
            NDArray y = conv1.preHook(ps, in);
            in.close();
            return y;
        }).hook(conv1.hOut);
        trunk.step((ps, x, t) -> Ops.maxPool(x, 3, 2, 0, true)).hook(hMaxpool1)
                .step((ps, x, t) -> conv2.preHook(ps, x)).hook(conv2.hOut)
                .step((ps, x, t) -> conv3.preHook(ps, x)).hook(conv3.hOut)
                .step((ps, x, t) -> Ops.maxPool(x, 3, 2, 0, true)).hook(hMaxpool2);
        for (int i = 0; i < INCEPTIONS.length; i++) {
            Inception inc = new Inception(INCEPTIONS[i], i);
            String name = (String) INCEPTIONS[i][0];
            if (name.equals("inception4a")) {
                trunk.step((ps, x, t) -> Ops.maxPool(x, 3, 2, 0, true)).hook(hook("maxpool3", HookRole.POOL));
            } else if (name.equals("inception5a")) {
                trunk.step((ps, x, t) -> Ops.maxPool(x, 2, 2, 0, true)).hook(hook("maxpool4", HookRole.POOL));
            }
            trunk.step((ps, x, t) -> inc.apply(ps, x)).hook(inc.hOut);
        }
        HookBlock hAvgpool = hook("avgpool", HookKind.VECTOR, HookRole.POOLED, -1);
        LinearLayer fc = linear("fc", 1024, classes);
        HookBlock hFc = hook("fc", HookKind.LOGITS, HookRole.LOGITS, -1);
        trunk.step((ps, x, t) -> Ops.globalAvgPool(x)).hook(hAvgpool)
                .step((ps, x, t) -> fc.apply(ps, x)).hook(hFc);
    }

    /** torchvision's {@code transform_input}: ImageNet-normalised input re-normalised to {@code (x - 0.5) / 0.5}. */
    private static NDArray transform(NDArray x) {
        NDArray scale = x.getManager().create(new float[] {0.229f / 0.5f, 0.224f / 0.5f, 0.225f / 0.5f}, new Shape(1, 3, 1, 1));
        NDArray shift = x.getManager().create(new float[] {(0.485f - 0.5f) / 0.5f, (0.456f - 0.5f) / 0.5f, (0.406f - 0.5f) / 0.5f},
                new Shape(1, 3, 1, 1));
        NDArray scaled = x.mul(scale);
        NDArray out = scaled.add(shift);
        new NDList(scale, shift, scaled).close();
        return out;
    }
}

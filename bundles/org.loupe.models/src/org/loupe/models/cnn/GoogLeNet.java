package org.loupe.models.cnn;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.HookKind;
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
 * {@code avgpool} (vector) and {@code fc} (logits).
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

    private final boolean transformInput;
    private final BasicConv conv1;
    private final BasicConv conv2;
    private final BasicConv conv3;
    private final HookBlock hMaxpool1;
    private final HookBlock hMaxpool2;
    private final HookBlock hMaxpool3;
    private final HookBlock hMaxpool4;
    private final List<Inception> inceptions = new ArrayList<>();
    private final HookBlock hAvgpool;
    private final LinearLayer fc;
    private final HookBlock hFc;

    /** torchvision's {@code BasicConv2d}: conv without bias, batch norm (eps 1e-3), ReLU. */
    private final class BasicConv {
        final ConvLayer conv;
        final BatchNormLayer bn;
        final HookBlock hConv;
        final HookBlock hBn;
        final HookBlock hOut;

        BasicConv(String name, int in, int out, int kernel, int stride, int padding) {
            conv = conv(name + ".conv", in, out, kernel, stride, padding, false);
            hConv = hook(name + ".conv");
            bn = batchNorm(name + ".bn", out, EPS);
            hBn = hook(name + ".bn");
            hOut = hook(name);
        }

        /** The unit's output; {@code x} stays open (the caller owns it), every temporary is closed. */
        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray y = hConv.apply(conv.apply(ps, x));
            y = then(y, hBn.apply(bn.apply(ps, y)));
            return then(y, hOut.apply(Ops.relu(y)));
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

        Inception(Object[] c) {
            String n = (String) c[0];
            int in = (Integer) c[1];
            b1 = new BasicConv(n + ".branch1", in, (Integer) c[2], 1, 1, 0);
            b2r = new BasicConv(n + ".branch2.0", in, (Integer) c[3], 1, 1, 0);
            b2 = new BasicConv(n + ".branch2.1", (Integer) c[3], (Integer) c[4], 3, 1, 1);
            hB2 = hook(n + ".branch2");
            b3r = new BasicConv(n + ".branch3.0", in, (Integer) c[5], 1, 1, 0);
            b3 = new BasicConv(n + ".branch3.1", (Integer) c[5], (Integer) c[6], 3, 1, 1);
            hB3 = hook(n + ".branch3");
            hPool = hook(n + ".branch4.0");
            b4 = new BasicConv(n + ".branch4.1", in, (Integer) c[7], 1, 1, 0);
            hB4 = hook(n + ".branch4");
            hOut = hook(n);
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray y1 = b1.apply(ps, x);
            NDArray r2 = b2r.apply(ps, x);
            NDArray y2 = then(r2, hB2.apply(b2.apply(ps, r2)));
            NDArray r3 = b3r.apply(ps, x);
            NDArray y3 = then(r3, hB3.apply(b3.apply(ps, r3)));
            NDArray pooled = hPool.apply(Ops.maxPool(x, 3, 1, 1, true));
            NDArray y4 = then(pooled, hB4.apply(b4.apply(ps, pooled)));
            NDArray out = hOut.apply(Ops.concatChannels(y1, y2, y3, y4));
            new NDList(y1, y2, y3, y4).close();
            return out;
        }
    }

    GoogLeNet(int classes, boolean transformInput) {
        super(classes);
        this.transformInput = transformInput;
        conv1 = new BasicConv("conv1", 3, 64, 7, 2, 3);
        hMaxpool1 = hook("maxpool1");
        conv2 = new BasicConv("conv2", 64, 64, 1, 1, 0);
        conv3 = new BasicConv("conv3", 64, 192, 3, 1, 1);
        hMaxpool2 = hook("maxpool2");
        for (Object[] c : INCEPTIONS) {
            inceptions.add(new Inception(c));
        }
        hMaxpool3 = hook("maxpool3");
        hMaxpool4 = hook("maxpool4");
        hAvgpool = hook("avgpool", HookKind.VECTOR);
        fc = linear("fc", 1024, classes);
        hFc = hook("fc", HookKind.LOGITS);
    }

    @Override
    NDArray forward(ParameterStore ps, NDArray input) {
        NDArray x = input;
        if (transformInput) {
            // torchvision: ImageNet-normalised input re-normalised to (x - 0.5) / 0.5
            NDArray scale = x.getManager().create(new float[] {0.229f / 0.5f, 0.224f / 0.5f, 0.225f / 0.5f}, new Shape(1, 3, 1, 1));
            NDArray shift = x.getManager().create(new float[] {(0.485f - 0.5f) / 0.5f, (0.456f - 0.5f) / 0.5f, (0.406f - 0.5f) / 0.5f},
                    new Shape(1, 3, 1, 1));
            NDArray scaled = x.mul(scale);
            x = scaled.add(shift);
            new NDList(scale, shift, scaled).close();
        }
        NDArray y = conv1.apply(ps, x);
        if (x != input) {
            x.close();
        }
        x = y;
        x = then(x, hMaxpool1.apply(Ops.maxPool(x, 3, 2, 0, true)));
        x = then(x, conv2.apply(ps, x));
        x = then(x, conv3.apply(ps, x));
        x = then(x, hMaxpool2.apply(Ops.maxPool(x, 3, 2, 0, true)));
        for (Inception inc : inceptions) {
            String name = inc.hOut.hookName();
            if (name.equals("inception4a")) {
                x = then(x, hMaxpool3.apply(Ops.maxPool(x, 3, 2, 0, true)));
            } else if (name.equals("inception5a")) {
                x = then(x, hMaxpool4.apply(Ops.maxPool(x, 2, 2, 0, true)));
            }
            x = then(x, inc.apply(ps, x));
        }
        x = then(x, hAvgpool.apply(Ops.globalAvgPool(x)));
        return then(x, hFc.apply(fc.apply(ps, x)));
    }
}

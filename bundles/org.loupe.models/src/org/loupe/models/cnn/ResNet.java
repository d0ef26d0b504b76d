package org.loupe.models.cnn;


import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * torchvision's ResNet (v1.5: the stride sits on the 3x3 convolution of a bottleneck), with
 * torchvision's module names. Hook points: the stem ({@code conv1}, {@code bn1}, {@code relu},
 * {@code maxpool}); in every block each conv and BN, the inner ReLUs ({@code layer1.0.relu1},
 * {@code relu2}), the shortcut ({@code layer2.0.downsample}), the residual sum before the last
 * ReLU ({@code layer1.0.add}) and the block output ({@code layer1.0}); each stage output
 * ({@code layer1}..{@code layer4}); {@code avgpool} (vector) and {@code fc} (logits). The stem's
 * hook points, the block outputs and the stage outputs are resumable; hook points inside a block are
 * not (a pass resumes from the block's input and intervenes inside it).
 */
final class ResNet extends Net {

    /** A variant: bottleneck blocks or basic blocks, blocks per stage, classes. */
    record Config(boolean bottleneck, int[] blocks, int classes) {
    }

    private static final float EPS = 1e-5f;


    /** One residual block. */
    private final class Residual {
        final ConvBn[] convBns;
        final HookBlock[] hBns;
        final HookBlock[] hRelus;
        final ConvBn down;
        final HookBlock hDown;
        final HookBlock hAdd;
        final HookBlock hOut;

        Residual(String p, int index, int in, int width, int stride, boolean bottleneck) {
            int expansion = bottleneck ? 4 : 1;
            int out = width * expansion;
            int n = bottleneck ? 3 : 2;
            convBns = new ConvBn[n];
            hBns = new HookBlock[n];
            hRelus = new HookBlock[n - 1];
            for (int i = 0; i < n; i++) {
                int cin = i == 0 ? in : width;
                int cout = i == n - 1 ? out : width;
                boolean threeByThree = bottleneck ? i == 1 : true;
                int s = (bottleneck ? i == 1 : i == 0) ? stride : 1;
                String c = p + ".conv" + (i + 1);
                String b = p + ".bn" + (i + 1);
                ConvLayer cv = conv(c, cin, cout, threeByThree ? 3 : 1, s, threeByThree ? 1 : 0, false);
                HookBlock hc = hook(c, HookRole.CONV_OUT, index);
                convBns[i] = new ConvBn(cv, hc, batchNorm(b, cout, EPS));
                hBns[i] = hook(b, HookRole.NORM, index);
                if (i < n - 1) {
                    hRelus[i] = hook(p + ".relu" + (i + 1), HookRole.ACT, index);
                }
            }
            if (stride != 1 || in != out) {
                down = new ConvBn(conv(p + ".downsample.0", in, out, 1, stride, 0, false), null,
                        batchNorm(p + ".downsample.1", out, EPS));
                hDown = hook(p + ".downsample", HookRole.BRANCH, index);
            } else {
                down = null;
                hDown = null;
            }
            hAdd = hook(p + ".add", HookRole.SUM, index);
            hOut = hook(p, HookRole.BLOCK_OUT, index);
        }

        /** The block's output before its hook point; {@code x} stays open (the caller owns it), every temporary is closed. */
        NDArray forward(ParameterStore ps, NDArray x) {
            NDArray y = x;
            for (int i = 0; i < convBns.length; i++) {
                NDArray c = hBns[i].apply(convBns[i].apply(ps, y));
                if (y != x) {
                    y.close();
                }
                y = c;
                if (i < convBns.length - 1) {
                    y = then(y, hRelus[i].apply(Ops.relu(y)));
                }
            }
            NDArray shortcut = x;
            if (down != null) {
                shortcut = hDown.apply(down.apply(ps, x));
            }
            NDArray sum = hAdd.apply(y.add(shortcut));
            y.close();
            if (shortcut != x) {
                shortcut.close();
            }
            return then(sum, Ops.relu(sum));
        }
    }

    ResNet(Config config) {
        super(config.classes());
        ConvLayer conv1 = conv("conv1", 3, 64, 7, 2, 3, false);
        HookBlock hConv1 = hook("conv1", HookRole.CONV_OUT);
        BatchNormLayer bn1 = batchNorm("bn1", 64, EPS);
        HookBlock hBn1 = hook("bn1", HookRole.NORM);
        HookBlock hRelu = hook("relu", HookRole.ACT);
        HookBlock hMaxpool = hook("maxpool", HookRole.POOL);
        trunk.step((ps, x, t) -> conv1.apply(ps, x)).hook(hConv1)
                .step((ps, x, t) -> bn1.apply(ps, x)).hook(hBn1)
                .step((ps, x, t) -> Ops.relu(x)).hook(hRelu)
                .step((ps, x, t) -> Ops.maxPool(x, 3, 2, 1, false)).hook(hMaxpool);
        int in = 64;
        int index = 0;
        for (int s = 0; s < 4; s++) {
            int width = 64 << s;
            for (int b = 0; b < config.blocks()[s]; b++) {
                Residual block = new Residual("layer" + (s + 1) + "." + b, index++, in, width, b == 0 && s > 0 ? 2 : 1,
                        config.bottleneck());
                trunk.step((ps, x, t) -> block.forward(ps, x)).hook(block.hOut);
                in = width * (config.bottleneck() ? 4 : 1);
            }
            trunk.hook(hook("layer" + (s + 1), HookRole.STAGE_OUT));
        }
        HookBlock hAvgpool = hook("avgpool", HookKind.VECTOR, HookRole.POOLED, -1);
        LinearLayer fc = linear("fc", in, config.classes());
        HookBlock hFc = hook("fc", HookKind.LOGITS, HookRole.LOGITS, -1);
        trunk.step((ps, x, t) -> Ops.globalAvgPool(x)).hook(hAvgpool)
                .step((ps, x, t) -> fc.apply(ps, x)).hook(hFc);
    }
}

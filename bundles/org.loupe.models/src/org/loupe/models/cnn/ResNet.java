package org.loupe.models.cnn;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * torchvision's ResNet (v1.5: the stride sits on the 3x3 convolution of a bottleneck), with
 * torchvision's module names. Hook points: the stem ({@code conv1}, {@code bn1}, {@code relu},
 * {@code maxpool}); in every block each conv and BN, the inner ReLUs ({@code layer1.0.relu1},
 * {@code relu2}), the shortcut ({@code layer2.0.downsample}), the residual sum before the last
 * ReLU ({@code layer1.0.add}) and the block output ({@code layer1.0}); each stage output
 * ({@code layer1}..{@code layer4}); {@code avgpool} (vector) and {@code fc} (logits).
 */
final class ResNet extends Net {

    /** A variant: bottleneck blocks or basic blocks, blocks per stage, classes. */
    record Config(boolean bottleneck, int[] blocks, int classes) {
    }

    private static final float EPS = 1e-5f;

    private final ConvLayer conv1;
    private final BatchNormLayer bn1;
    private final HookBlock hConv1;
    private final HookBlock hBn1;
    private final HookBlock hRelu;
    private final HookBlock hMaxpool;
    private final List<List<Residual>> stages = new ArrayList<>();
    private final List<HookBlock> stageHooks = new ArrayList<>();
    private final HookBlock hAvgpool;
    private final LinearLayer fc;
    private final HookBlock hFc;

    /** One residual block. */
    private final class Residual {
        final ConvLayer[] convs;
        final BatchNormLayer[] bns;
        final HookBlock[] hConvs;
        final HookBlock[] hBns;
        final HookBlock[] hRelus;
        final ConvLayer downConv;
        final BatchNormLayer downBn;
        final HookBlock hDown;
        final HookBlock hAdd;
        final HookBlock hOut;

        Residual(String p, int in, int width, int stride, boolean bottleneck) {
            int expansion = bottleneck ? 4 : 1;
            int out = width * expansion;
            int n = bottleneck ? 3 : 2;
            convs = new ConvLayer[n];
            bns = new BatchNormLayer[n];
            hConvs = new HookBlock[n];
            hBns = new HookBlock[n];
            hRelus = new HookBlock[n - 1];
            for (int i = 0; i < n; i++) {
                int cin = i == 0 ? in : width;
                int cout = i == n - 1 ? out : width;
                boolean threeByThree = bottleneck ? i == 1 : true;
                int s = (bottleneck ? i == 1 : i == 0) ? stride : 1;
                String c = p + ".conv" + (i + 1);
                String b = p + ".bn" + (i + 1);
                convs[i] = conv(c, cin, cout, threeByThree ? 3 : 1, s, threeByThree ? 1 : 0, false);
                hConvs[i] = hook(c);
                bns[i] = batchNorm(b, cout, EPS);
                hBns[i] = hook(b);
                if (i < n - 1) {
                    hRelus[i] = hook(p + ".relu" + (i + 1));
                }
            }
            if (stride != 1 || in != out) {
                downConv = conv(p + ".downsample.0", in, out, 1, stride, 0, false);
                downBn = batchNorm(p + ".downsample.1", out, EPS);
                hDown = hook(p + ".downsample");
            } else {
                downConv = null;
                downBn = null;
                hDown = null;
            }
            hAdd = hook(p + ".add");
            hOut = hook(p);
        }

        /** The block's output; {@code x} stays open (the caller owns it), every temporary is closed. */
        NDArray forward(ParameterStore ps, NDArray x) {
            NDArray y = x;
            for (int i = 0; i < convs.length; i++) {
                NDArray c = hConvs[i].apply(convs[i].apply(ps, y));
                if (y != x) {
                    y.close();
                }
                y = then(c, hBns[i].apply(bns[i].apply(ps, c)));
                if (i < convs.length - 1) {
                    y = then(y, hRelus[i].apply(Ops.relu(y)));
                }
            }
            NDArray shortcut = x;
            if (downConv != null) {
                NDArray d = downConv.apply(ps, x);
                shortcut = then(d, hDown.apply(downBn.apply(ps, d)));
            }
            NDArray sum = hAdd.apply(y.add(shortcut));
            y.close();
            if (shortcut != x) {
                shortcut.close();
            }
            return then(sum, hOut.apply(Ops.relu(sum)));
        }
    }

    ResNet(Config config) {
        super(config.classes());
        conv1 = conv("conv1", 3, 64, 7, 2, 3, false);
        hConv1 = hook("conv1");
        bn1 = batchNorm("bn1", 64, EPS);
        hBn1 = hook("bn1");
        hRelu = hook("relu");
        hMaxpool = hook("maxpool");
        int in = 64;
        for (int s = 0; s < 4; s++) {
            int width = 64 << s;
            List<Residual> blocks = new ArrayList<>();
            for (int b = 0; b < config.blocks()[s]; b++) {
                Residual block = new Residual("layer" + (s + 1) + "." + b, in, width, b == 0 && s > 0 ? 2 : 1, config.bottleneck());
                blocks.add(block);
                in = width * (config.bottleneck() ? 4 : 1);
            }
            stages.add(blocks);
            stageHooks.add(hook("layer" + (s + 1)));
        }
        hAvgpool = hook("avgpool", HookKind.VECTOR);
        fc = linear("fc", in, config.classes());
        hFc = hook("fc", HookKind.LOGITS);
    }

    @Override
    NDArray forward(ParameterStore ps, NDArray input) {
        NDArray x = hConv1.apply(conv1.apply(ps, input));
        x = then(x, hBn1.apply(bn1.apply(ps, x)));
        x = then(x, hRelu.apply(Ops.relu(x)));
        x = then(x, hMaxpool.apply(Ops.maxPool(x, 3, 2, 1, false)));
        for (int s = 0; s < stages.size(); s++) {
            for (Residual b : stages.get(s)) {
                x = then(x, b.forward(ps, x));
            }
            x = stageHooks.get(s).apply(x);
        }
        x = then(x, hAvgpool.apply(Ops.globalAvgPool(x)));
        return then(x, hFc.apply(fc.apply(ps, x)));
    }
}

package org.loupe.models.cnn;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * torchvision's ConvNeXt in eval mode (stochastic depth is the identity), with torchvision's
 * module names: stem {@code features.0} (4x4/4 conv {@code features.0.0}, LayerNorm2d
 * {@code features.0.1}), stages {@code features.1, 3, 5, 7} of blocks, downsampling layers
 * {@code features.2, 4, 6} (LayerNorm2d {@code .0}, 2x2/2 conv {@code .1}), {@code avgpool},
 * {@code classifier.0} (LayerNorm) and {@code classifier.2} (Linear).
 *
 * <p>A block {@code features.s.j} computes {@code x + layer_scale * mlp(norm(dwconv(x)))}; its hook
 * points are {@code block.0} (depthwise conv), {@code block.2} (LayerNorm), {@code block.3} (first
 * linear, pre-GELU), {@code block.4} (the MLP hidden layer after GELU), {@code block.5} (second
 * linear) and the block output {@code features.s.j}. The channels-last tensors inside the block are
 * presented channels-first, {@code [C, H, W]}, like every other conv hook point. The stem's, the
 * block outputs, the stage outputs and the downsampling layers' hook points are resumable; those
 * inside a block are not.
 */
final class ConvNeXt extends Net {

    /** A size: channels and blocks of each of the four stages. */
    record Config(int[] dims, int[] depths, int classes) {
    }

    private static final float EPS = 1e-6f;


    private final class CnBlock {
        final ConvLayer dw;
        final LayerNormLayer norm;
        final LinearLayer fc1;
        final LinearLayer fc2;
        final Parameter layerScale;
        final HookBlock hDw;
        final HookBlock hNorm;
        final HookBlock hFc1;
        final HookBlock hGelu;
        final HookBlock hFc2;
        final HookBlock hOut;

        CnBlock(String p, int index, int dim) {
            dw = conv(p + ".block.0", dim, dim, 7, 1, 3, true, dim);
            hDw = hook(p + ".block.0", HookRole.CONV_OUT, index);
            norm = layerNorm(p + ".block.2", dim, EPS, false);
            hNorm = hook(p + ".block.2", HookRole.NORM, index);
            fc1 = linear(p + ".block.3", dim, 4 * dim);
            hFc1 = hook(p + ".block.3", HookRole.MLP_PRE, index);
            hGelu = hook(p + ".block.4", HookRole.MLP_HIDDEN, index);
            fc2 = linear(p + ".block.5", 4 * dim, dim);
            hFc2 = hook(p + ".block.5", HookRole.MLP_OUT, index);
            layerScale = tensor(p + ".layer_scale", new Shape(dim, 1, 1));
            hOut = hook(p, HookRole.BLOCK_OUT, index);
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray d = hDw.apply(dw.apply(ps, x));
            NDArray y = then(d, d.transpose(0, 2, 3, 1)); // channels-last for the MLP
            y = then(y, channelsLast(hNorm, norm.apply(ps, y)));
            y = then(y, channelsLast(hFc1, fc1.apply(ps, y)));
            y = then(y, channelsLast(hGelu, Ops.gelu(y)));
            y = then(y, channelsLast(hFc2, fc2.apply(ps, y)));
            y = then(y, y.transpose(0, 3, 1, 2));
            NDArray scaled = then(y, y.mul(ps.getValue(layerScale, x.getDevice(), false)));
            return then(scaled, x.add(scaled));
        }
    }

    /** Passes a channels-last activation through a hook that sees it channels-first. */
    private static NDArray channelsLast(HookBlock hook, NDArray nhwc) {
        NDArray nchw = hook.apply(nhwc.transpose(0, 3, 1, 2));
        NDArray back = nchw.transpose(0, 2, 3, 1);
        nchw.close();
        nhwc.close();
        return back;
    }

    /** A downsampling layer on the trunk: LayerNorm2d and its hook point, 2x2/2 conv and its hook point. */
    private void downsample(String p, int in, int out) {
        LayerNormLayer norm = layerNorm(p + ".0", in, EPS, true);
        HookBlock hNorm = hook(p + ".0", HookRole.NORM);
        ConvLayer conv = conv(p + ".1", in, out, 2, 2, 0, true);
        trunk.step((ps, x, t) -> norm.apply(ps, x)).hook(hNorm).step((ps, x, t) -> conv.apply(ps, x)).hook(hook(p, HookRole.STAGE_OUT));
    }

    ConvNeXt(Config c) {
        super(c.classes());
        int[] dims = c.dims();
        ConvLayer stemConv = conv("features.0.0", 3, dims[0], 4, 4, 0, true);
        HookBlock hStemConv = hook("features.0.0", HookRole.CONV_OUT);
        LayerNormLayer stemNorm = layerNorm("features.0.1", dims[0], EPS, true);
        HookBlock hStemNorm = hook("features.0.1", HookRole.NORM);
        HookBlock hStem = hook("features.0", HookRole.STAGE_OUT);
        trunk.step((ps, x, t) -> stemConv.apply(ps, x)).hook(hStemConv).step((ps, x, t) -> stemNorm.apply(ps, x)).hook(hStemNorm, hStem);
        int index = 0;
        for (int s = 0; s < 4; s++) {
            int stage = 1 + 2 * s;
            for (int j = 0; j < c.depths()[s]; j++) {
                CnBlock b = new CnBlock("features." + stage + "." + j, index++, dims[s]);
                trunk.step((ps, x, t) -> b.apply(ps, x)).hook(b.hOut);
            }
            trunk.hook(hook("features." + stage, HookRole.STAGE_OUT));
            if (s < 3) {
                downsample("features." + (stage + 1), dims[s], dims[s + 1]);
            }
        }
        HookBlock hAvgpool = hook("avgpool", HookKind.VECTOR, HookRole.POOLED, -1);
        LayerNormLayer headNorm = layerNorm("classifier.0", dims[3], EPS, false);
        HookBlock hHeadNorm = hook("classifier.0", HookKind.VECTOR, HookRole.NORM, -1);
        LinearLayer head = linear("classifier.2", dims[3], c.classes());
        HookBlock hHead = hook("classifier.2", HookKind.LOGITS, HookRole.LOGITS, -1);
        trunk.step((ps, x, t) -> Ops.globalAvgPool(x)).hook(hAvgpool)
                .step((ps, x, t) -> headNorm.apply(ps, x)).hook(hHeadNorm)
                .step((ps, x, t) -> head.apply(ps, x)).hook(hHead);
    }
}

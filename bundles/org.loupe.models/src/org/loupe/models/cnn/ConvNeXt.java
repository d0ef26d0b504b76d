package org.loupe.models.cnn;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.HookKind;
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
 * presented channels-first, {@code [C, H, W]}, like every other conv hook point.
 */
final class ConvNeXt extends Net {

    /** A size: channels and blocks of each of the four stages. */
    record Config(int[] dims, int[] depths, int classes) {
    }

    private static final float EPS = 1e-6f;

    private final ConvLayer stemConv;
    private final LayerNormLayer stemNorm;
    private final HookBlock hStemConv;
    private final HookBlock hStemNorm;
    private final HookBlock hStem;
    private final List<List<CnBlock>> stages = new ArrayList<>();
    private final List<HookBlock> stageHooks = new ArrayList<>();
    private final List<Downsample> downsamples = new ArrayList<>();
    private final HookBlock hAvgpool;
    private final LayerNormLayer headNorm;
    private final HookBlock hHeadNorm;
    private final LinearLayer head;
    private final HookBlock hHead;

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

        CnBlock(String p, int dim) {
            dw = conv(p + ".block.0", dim, dim, 7, 1, 3, true, dim);
            hDw = hook(p + ".block.0");
            norm = layerNorm(p + ".block.2", dim, EPS, false);
            hNorm = hook(p + ".block.2");
            fc1 = linear(p + ".block.3", dim, 4 * dim);
            hFc1 = hook(p + ".block.3");
            hGelu = hook(p + ".block.4");
            fc2 = linear(p + ".block.5", 4 * dim, dim);
            hFc2 = hook(p + ".block.5");
            layerScale = tensor(p + ".layer_scale", new Shape(dim, 1, 1));
            hOut = hook(p);
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
            return then(scaled, hOut.apply(x.add(scaled)));
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

    private final class Downsample {
        final LayerNormLayer norm;
        final ConvLayer conv;
        final HookBlock hNorm;
        final HookBlock hOut;

        Downsample(String p, int in, int out) {
            norm = layerNorm(p + ".0", in, EPS, true);
            hNorm = hook(p + ".0");
            conv = conv(p + ".1", in, out, 2, 2, 0, true);
            hOut = hook(p);
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray normed = hNorm.apply(norm.apply(ps, x));
            return then(normed, hOut.apply(conv.apply(ps, normed)));
        }
    }

    ConvNeXt(Config c) {
        super(c.classes());
        int[] dims = c.dims();
        stemConv = conv("features.0.0", 3, dims[0], 4, 4, 0, true);
        hStemConv = hook("features.0.0");
        stemNorm = layerNorm("features.0.1", dims[0], EPS, true);
        hStemNorm = hook("features.0.1");
        hStem = hook("features.0");
        for (int s = 0; s < 4; s++) {
            int index = 1 + 2 * s;
            List<CnBlock> blocks = new ArrayList<>();
            for (int j = 0; j < c.depths()[s]; j++) {
                blocks.add(new CnBlock("features." + index + "." + j, dims[s]));
            }
            stages.add(blocks);
            stageHooks.add(hook("features." + index));
            if (s < 3) {
                downsamples.add(new Downsample("features." + (index + 1), dims[s], dims[s + 1]));
            }
        }
        hAvgpool = hook("avgpool", HookKind.VECTOR);
        headNorm = layerNorm("classifier.0", dims[3], EPS, false);
        hHeadNorm = hook("classifier.0", HookKind.VECTOR);
        head = linear("classifier.2", dims[3], c.classes());
        hHead = hook("classifier.2", HookKind.LOGITS);
    }

    @Override
    NDArray forward(ParameterStore ps, NDArray input) {
        NDArray x = hStemConv.apply(stemConv.apply(ps, input));
        x = then(x, hStem.apply(hStemNorm.apply(stemNorm.apply(ps, x))));
        for (int s = 0; s < 4; s++) {
            for (CnBlock b : stages.get(s)) {
                x = then(x, b.apply(ps, x));
            }
            x = stageHooks.get(s).apply(x);
            if (s < 3) {
                x = then(x, downsamples.get(s).apply(ps, x));
            }
        }
        x = then(x, hAvgpool.apply(Ops.globalAvgPool(x)));
        x = then(x, hHeadNorm.apply(headNorm.apply(ps, x)));
        return then(x, hHead.apply(head.apply(ps, x)));
    }
}

package org.loupe.analysis.units.tests;

import java.util.List;
import java.util.function.BiFunction;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.djl.AvgPool2d;
import org.loupe.djl.SafeConv2d;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A hand-built residual network whose residual stream and branches are linear (no ReLU anywhere),
 * laid out as Loupe's ResNet lays out its blocks (each layer followed by the hook point of its
 * output, the shortcut just before the block's branch hook point, the sum as a {@link HookRole#SUM}
 * hook point) but without a nonlinearity after the sums:
 * {@code in} [3, 12, 12] -> block {@code b}: conv1 3x3 (bias) - bn1 - conv2 3x3, shortcut 1x1 conv to
 * 2 channels ({@code b.downsample}), {@code b.add} -> block {@code c}: conv1 3x3 stride 1, identity
 * skip, {@code c.add} -> {@code pool}: 2x2 average pooling, stride 2.
 */
final class LinearResNet extends AbstractBlock {

    static final int SIZE = 12;
    static final int WIDTH = 2;

    private final HookBlock in = hook("in", HookRole.OTHER, -1);
    private final SafeConv2d bConv1 = addChildBlock("b.conv1", new SafeConv2d(WIDTH, 3, 1, 1, true, 1));
    private final HookBlock hbConv1 = hook("b.conv1", HookRole.CONV_OUT, 0);
    private final BatchNorm bBn1 = addChildBlock("b.bn1", BatchNorm.builder().build());
    private final HookBlock hbBn1 = hook("b.bn1", HookRole.NORM, 0);
    private final SafeConv2d bConv2 = addChildBlock("b.conv2", new SafeConv2d(WIDTH, 3, 1, 1, false, 1));
    private final HookBlock hbConv2 = hook("b.conv2", HookRole.CONV_OUT, 0);
    private final SafeConv2d bDown = addChildBlock("b.downsample", new SafeConv2d(WIDTH, 1, 1, 0, false, 1));
    private final HookBlock hbDown = hook("b.downsample", HookRole.BRANCH, 0);
    private final HookBlock hbAdd = hook("b.add", HookRole.SUM, 0);
    private final SafeConv2d cConv1 = addChildBlock("c.conv1", new SafeConv2d(WIDTH, 3, 1, 1, false, 1));
    private final HookBlock hcConv1 = hook("c.conv1", HookRole.CONV_OUT, 1);
    private final HookBlock hcAdd = hook("c.add", HookRole.SUM, 1);
    private final AvgPool2d pool = addChildBlock("pool", new AvgPool2d(2, 2, 0));
    private final HookBlock hPool = hook("pool", HookRole.POOL, -1);

    private HookBlock hook(String name, HookRole role, int block) {
        return addChildBlock(name, new HookBlock(name, HookKind.CONV_CHANNELS, role, block, null));
    }

    /**
     * The network as a model, its weights in {@code manager} (closed with the model), each parameter
     * filled by {@code weights} from its layer's name and parameter name (and its size).
     */
    static BlockModel build(NDManager manager, BiFunction<String, String, float[]> weights) {
        LinearResNet net = new LinearResNet();
        Shape in = new Shape(1, 3, SIZE, SIZE);
        Shape mid = new Shape(1, WIDTH, SIZE, SIZE);
        init(net.bConv1, "b.conv1", in, manager, weights);
        init(net.bBn1, "b.bn1", mid, manager, weights);
        init(net.bConv2, "b.conv2", mid, manager, weights);
        init(net.bDown, "b.downsample", in, manager, weights);
        init(net.cConv1, "c.conv1", mid, manager, weights);
        return new BlockModel(new ModelInfo("linear-resnet", "Linear ResNet", "hand-built", "0", "test", -1),
                new InputSpec(3, SIZE, SIZE, Normalization.identity(3)), List.of(), net, manager);
    }

    private static void init(Block layer, String name, Shape input, NDManager manager, BiFunction<String, String, float[]> weights) {
        layer.initialize(manager, DataType.FLOAT32, input);
        for (var p : layer.getParameters()) {
            NDArray a = p.getValue().getArray();
            float[] v = weights.apply(name, p.getKey());
            if (v.length != a.size()) {
                throw new IllegalArgumentException(name + "." + p.getKey() + ": " + v.length + " values for " + a.getShape());
            }
            a.set(v);
        }
    }

    private static NDArray run(Block layer, ParameterStore ps, NDArray x) {
        return layer.forward(ps, new NDList(x), false).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = in.apply(inputs.singletonOrThrow());
        NDArray y = hbConv1.apply(run(bConv1, ps, x));
        y = hbBn1.apply(run(bBn1, ps, y));
        y = hbConv2.apply(run(bConv2, ps, y));
        NDArray skip = hbDown.apply(run(bDown, ps, x));
        NDArray b = hbAdd.apply(y.add(skip));
        NDArray c = hcAdd.apply(hcConv1.apply(run(cConv1, ps, b)).add(b));
        return new NDList(hPool.apply(run(pool, ps, c)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), WIDTH, SIZE / 2, SIZE / 2)};
    }
}

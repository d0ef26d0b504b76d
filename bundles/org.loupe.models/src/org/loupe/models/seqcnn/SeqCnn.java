package org.loupe.models.seqcnn;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.blocks.ClosingSequentialBlock;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.djl.AvgPool2d;
import org.loupe.djl.SafeConv2d;
import org.loupe.models.WeightBinder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * Builds the DJL blocks of a {@link SeqCnnConfig}: each layer followed by a hook point of the same
 * name. Shapes are followed through the layers so a config that cannot work is refused with the
 * layer and the reason, before anything is allocated.
 *
 * @since 0.1
 */
public final class SeqCnn {

    /**
     * The built network.
     *
     * @param block   the initialised block
     * @param weights the expected tensors, by PyTorch name
     */
    public record Built(SequentialBlock block, WeightBinder weights) {
    }

    private SeqCnn() {
    }

    /** Builds and initialises the network in {@code manager} (weights are set later by the binder). */
    public static Built build(SeqCnnConfig config, NDManager manager, String source) throws ModelLoadException {
        long[] shape = {config.input().channels(), config.input().height(), config.input().width()};
        SequentialBlock net = new ClosingSequentialBlock();
        List<Object[]> params = new ArrayList<>(); // {name, block}
        List<LayerSpec> layers = config.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            String where = source + " layer " + i + " (" + l.name() + ")";
            Block b;
            switch (l.type()) {
                case "conv2d" -> {
                    need(shape.length == 3, where, "conv2d needs a [C, H, W] input, got " + java.util.Arrays.toString(shape));
                    shape = new long[] {l.outChannels(), out(shape[1], l, where), out(shape[2], l, where)};
                    b = new SafeConv2d(l.outChannels(), l.kernel(), l.stride(), l.padding(), l.bias(), 1);
                    params.add(new Object[] {l.name(), b});
                }
                case "batchnorm2d" -> {
                    need(shape.length == 3, where, "batchnorm2d needs a [C, H, W] input, got " + java.util.Arrays.toString(shape));
                    b = BatchNorm.builder().optEpsilon(l.eps()).build();
                    params.add(new Object[] {l.name(), b});
                }
                case "relu" -> b = Activation.reluBlock();
                case "gelu" -> b = Activation.geluBlock();
                case "sigmoid" -> b = Activation.sigmoidBlock();
                case "tanh" -> b = Activation.tanhBlock();
                case "dropout" -> b = Blocks.identityBlock();
                case "maxpool2d", "avgpool2d" -> {
                    need(shape.length == 3, where, l.type() + " needs a [C, H, W] input, got " + java.util.Arrays.toString(shape));
                    shape = new long[] {shape[0], out(shape[1], l, where), out(shape[2], l, where)};
                    Shape k = new Shape(l.kernel(), l.kernel());
                    Shape s = new Shape(l.stride(), l.stride());
                    Shape p = new Shape(l.padding(), l.padding());
                    b = l.type().equals("maxpool2d") ? Pool.maxPool2dBlock(k, s, p) : new AvgPool2d(l.kernel(), l.stride(), l.padding());
                }
                case "global_avgpool" -> {
                    need(shape.length == 3, where, "global_avgpool needs a [C, H, W] input, got " + java.util.Arrays.toString(shape));
                    shape = new long[] {shape[0], 1, 1};
                    b = new LambdaBlock(list -> {
                        NDArray rows = list.singletonOrThrow().mean(new int[] {3}, true);
                        NDArray pooled = rows.mean(new int[] {2}, true);
                        rows.close();
                        return new NDList(pooled);
                    });
                }
                case "flatten" -> {
                    long n = 1;
                    for (long d : shape) {
                        n *= d;
                    }
                    shape = new long[] {n};
                    b = Blocks.batchFlattenBlock();
                }
                case "linear" -> {
                    need(shape.length == 1, where, "linear needs a flat input; add a flatten layer before it (the input is "
                            + java.util.Arrays.toString(shape) + ")");
                    shape = new long[] {l.outChannels()};
                    b = Linear.builder().setUnits(l.outChannels()).optBias(l.bias()).build();
                    params.add(new Object[] {l.name(), b});
                }
                default -> throw new ModelLoadException(where + ": unknown type '" + l.type() + "'.");
            }
            net.add(b);
            boolean last = i == layers.size() - 1;
            HookKind kind = shape.length == 3 ? HookKind.CONV_CHANNELS : last ? HookKind.LOGITS : HookKind.VECTOR;
            net.add(new HookBlock(l.name(), kind, role(l.type(), kind), -1, null));
        }
        if (!config.labels().isEmpty() && (shape.length != 1 || shape[0] != config.labels().size())) {
            throw new ModelLoadException(source + ": " + config.labels().size() + " labels, but the network's output is "
                    + java.util.Arrays.toString(shape) + ".");
        }
        net.initialize(manager, DataType.FLOAT32, new Shape(1, config.input().channels(), config.input().height(), config.input().width()));
        WeightBinder binder = new WeightBinder();
        for (Object[] p : params) {
            String name = (String) p[0];
            Block b = (Block) p[1];
            var ps = b.getParameters();
            if (b instanceof BatchNorm) {
                binder.expect(name + ".weight", ps.get("gamma")).expect(name + ".bias", ps.get("beta"))
                        .expect(name + ".running_mean", ps.get("runningMean")).expect(name + ".running_var", ps.get("runningVar"));
            } else {
                binder.expect(name + ".weight", ps.get("weight"));
                if (ps.contains("bias")) {
                    binder.expect(name + ".bias", ps.get("bias"));
                }
            }
        }
        return new Built(net, binder);
    }

    /** What a layer of {@code type} is, for lookups by role. */
    private static HookRole role(String type, HookKind kind) {
        if (kind == HookKind.LOGITS) {
            return HookRole.LOGITS;
        }
        return switch (type) {
            case "conv2d" -> HookRole.CONV_OUT;
            case "batchnorm2d" -> HookRole.NORM;
            case "relu", "gelu", "sigmoid", "tanh" -> HookRole.ACT;
            case "maxpool2d", "avgpool2d" -> HookRole.POOL;
            case "global_avgpool" -> HookRole.POOLED;
            default -> HookRole.OTHER;
        };
    }

    private static long out(long in, LayerSpec l, String where) throws ModelLoadException {
        long o = (in + 2L * l.padding() - l.kernel()) / l.stride() + 1;
        need(in + 2L * l.padding() >= l.kernel(), where, "the input (" + in + " pixels, padding " + l.padding()
                + ") is smaller than the kernel (" + l.kernel() + ")");
        return o;
    }

    private static void need(boolean ok, String where, String what) throws ModelLoadException {
        if (!ok) {
            throw new ModelLoadException(where + ": " + what + ".");
        }
    }
}

package org.loupe.analysis.units.internal;

import java.util.List;

import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.djl.SafeConv2d;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;

/**
 * Expanded weights (Circuits, "Visualizing Weights"): the effective kernel from the units of one
 * hook point to the units of a later one across a linear stretch of a sequential block, made by
 * composing the kernels of the convolutions between them and the per-channel scales of the batch
 * norms (eval mode); biases and padding do not enter (the kernel is the one of an interior position).
 */
public final class Expansion {

    /**
     * An expanded kernel.
     *
     * @param weight  {@code [out, in, kh, kw]}
     * @param out     units of the later hook point
     * @param in      units of the earlier hook point
     * @param kh      rows
     * @param kw      columns
     * @param stride  the total stride (rows and columns alike)
     * @param padding the total padding: output position y reads input rows from {@code y * stride - padding}
     * @param path    the layers composed, in order
     */
    public record Kernel(float[] weight, int out, int in, int kh, int kw, int stride, int padding, List<String> path) {

        /** The expanded kernel as a {@link Convs.Conv}, for norms and slices. */
        public Convs.Conv asConv(String input) {
            return new Convs.Conv(weight, out, in, kh, kw, input);
        }
    }

    private Expansion() {
    }

    /**
     * The expanded kernel from {@code from} to {@code to} of {@code model}.
     *
     * @throws IllegalArgumentException when the two are not in one sequential stretch with {@code from}
     *                                  first, or a layer between them is not linear (named)
     */
    public static Kernel between(HookedModel model, String from, String to, NDManager scratch) {
        if (!(model instanceof BlockModel bm)) {
            throw new IllegalArgumentException("expanded weights are read from the model's layers, and '" + model.info().name()
                    + "' does not expose them (a TorchScript model is a black box): open the model from its weights instead");
        }
        model.hookPoint(from);
        model.hookPoint(to);
        List<Block> siblings = siblingsOf(bm.block(), to);
        int a = indexOf(siblings, from);
        int b = indexOf(siblings, to);
        if (siblings.isEmpty() || a < 0 || a >= b) {
            throw new IllegalArgumentException("'" + from + "' does not come before '" + to + "' in one sequential stretch of the model: "
                    + "give as from= a hook point earlier in the same stretch as '" + to + "'");
        }
        int channels = (int) model.hookPoint(from).units();
        float[] w = new float[channels * channels];
        for (int c = 0; c < channels; c++) {
            w[c * channels + c] = 1;
        }
        Kernel k = new Kernel(w, channels, channels, 1, 1, 1, 0, List.of());
        for (int i = a + 1; i <= b; i++) {
            if (siblings.get(i) instanceof HookBlock) {
                continue;
            }
            Block layer = siblings.get(i);
            HookBlock after = siblings.get(i + 1) instanceof HookBlock h ? h : null;
            String name = after != null ? after.hookName() : "the unnamed layer after position " + i;
            HookRole role = after != null ? after.role() : HookRole.OTHER;
            if (layer instanceof Convolution conv) {
                if (conv.getGroups() != 1 || conv.getDilation().get(0) != 1 || conv.getDilation().get(1) != 1) {
                    throw new IllegalArgumentException("'" + name + "' is a grouped or dilated convolution, which expanded weights "
                            + "do not compose: choose from= at or after '" + name + "'");
                }
                k = compose(k, conv.getParameters().get("weight").getArray(), (int) conv.getStride().get(0),
                        (int) conv.getPadding().get(0), name);
            } else if (layer instanceof SafeConv2d conv) {
                if (conv.groups() != 1) {
                    throw new IllegalArgumentException("'" + name + "' is a grouped convolution, which expanded weights do not compose: "
                            + "choose from= at or after '" + name + "'");
                }
                k = compose(k, conv.getParameters().get("weight").getArray(), conv.stride(), conv.padding(), name);
            } else if (role == HookRole.NORM) {
                k = scale(k, layer, name, scratch);
            } else if (role != HookRole.OTHER || !layer.getParameters().isEmpty()) {
                throw new IllegalArgumentException("the layers between '" + from + "' and '" + to + "' are not all linear: '" + name
                        + "' (" + role.name().toLowerCase(java.util.Locale.ROOT) + ") is not, so there are no expanded weights across it; "
                        + "choose from= at or after '" + name + "'");
            }
        }
        return k;
    }

    /** {@code k} followed by {@code conv}: E'[o, i, a] = sum over m, p of W[o, m, p] E[m, i, a - p * stride]. */
    private static Kernel compose(Kernel k, NDArray wa, int stride, int padding, String name) {
        long[] s = wa.getShape().getShape();
        int o = (int) s[0], m = (int) s[1], p = (int) s[2], q = (int) s[3];
        float[] w = wa.toFloatArray();
        int st = k.stride();
        int kh = k.kh() + (p - 1) * st;
        int kw = k.kw() + (q - 1) * st;
        float[] e = new float[o * k.in() * kh * kw];
        for (int u = 0; u < o; u++) {
            for (int c = 0; c < m; c++) {
                for (int y = 0; y < p; y++) {
                    for (int x = 0; x < q; x++) {
                        float v = w[((u * m + c) * p + y) * q + x];
                        if (v == 0) {
                            continue;
                        }
                        for (int i = 0; i < k.in(); i++) {
                            int src = (c * k.in() + i) * k.kh() * k.kw();
                            int dst = (u * k.in() + i) * kh * kw;
                            for (int r = 0; r < k.kh(); r++) {
                                for (int t = 0; t < k.kw(); t++) {
                                    e[dst + (r + y * st) * kw + t + x * st] += v * k.weight()[src + r * k.kw() + t];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Kernel(e, o, k.in(), kh, kw, st * stride, k.padding() + padding * st, append(k.path(), name));
    }

    /** {@code k} followed by a per-channel affine layer: its slope per channel, measured as f(1) - f(0) in inference. */
    private static Kernel scale(Kernel k, Block layer, String name, NDManager scratch) {
        try (NDManager m = scratch.newSubManager()) {
            NDList out = layer.forward(new ParameterStore(m, false),
                    new NDList(m.ones(new Shape(2, k.out(), 1, 1)).concat(m.zeros(new Shape(1, k.out(), 1, 1)), 0)), false);
            float[] f = out.singletonOrThrow().toFloatArray();
            float[] e = k.weight().clone();
            int per = k.in() * k.kh() * k.kw();
            for (int u = 0; u < k.out(); u++) {
                float slope = f[k.out() + u] - f[2 * k.out() + u];
                for (int j = 0; j < per; j++) {
                    e[u * per + j] *= slope;
                }
            }
            return new Kernel(e, k.out(), k.in(), k.kh(), k.kw(), k.stride(), k.padding(), append(k.path(), name));
        }
    }

    private static List<String> append(List<String> path, String name) {
        return java.util.stream.Stream.concat(path.stream(), java.util.stream.Stream.of(name)).toList();
    }

    private static List<Block> siblingsOf(Block block, String name) {
        List<Block> children = block.getChildren().values();
        if (indexOf(children, name) >= 0) {
            return children;
        }
        for (Block c : children) {
            List<Block> inner = siblingsOf(c, name);
            if (!inner.isEmpty()) {
                return inner;
            }
        }
        return List.of();
    }

    private static int indexOf(List<Block> blocks, String name) {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) instanceof HookBlock h && h.hookName().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}

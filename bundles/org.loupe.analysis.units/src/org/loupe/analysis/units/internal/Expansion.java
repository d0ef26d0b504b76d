package org.loupe.analysis.units.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.djl.AvgPool2d;
import org.loupe.djl.Conv2dGeometry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;

/**
 * Expanded weights (Circuits, "Visualizing Weights"): the effective kernel from the units of one
 * hook point to the units of a later one, made by composing the linear maps between them: the
 * kernels of the convolutions, average poolings (a per-channel uniform kernel), the per-channel
 * scales of the batch norms (eval mode), identities, and residual blocks, whose sum is the skip
 * connection (the identity, or the shortcut's convolution and batch norm) plus the branch when the
 * branch is linear, or the skip connection alone when it is not (the Circuits convention, said in
 * {@link Kernel#notes()}). Biases and padding do not enter: the kernel is the one of an interior
 * position.
 *
 * <p>The layers are read from the model's block tree: the children of the block holding the later
 * hook point, in forward order, each layer followed by the hook point of its output. Hook points of
 * a residual block carry its index; a layer just before the block's {@link HookRole#BRANCH} hook
 * point is its shortcut (it reads the block's input); the {@link HookRole#SUM} hook point is the sum
 * of the branch and the skip connection, and a block output right after it is the nonlinearity of
 * that sum. Two hook points with no layer between are the same activation when the second is a
 * stage output, and otherwise a parameter-free operation of the second's role (a ReLU, max pooling).
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
     * @param path    the layers composed, in order (a residual block as one entry saying what of it was composed)
     * @param notes   what the kernel leaves out (a nonlinear residual branch), in words; empty when it is exact
     */
    public record Kernel(float[] weight, int out, int in, int kh, int kw, int stride, int padding, List<String> path, List<String> notes) {

        /** The expanded kernel as a {@link Convs.Conv}, for norms and slices. */
        public Convs.Conv asConv(String input) {
            return new Convs.Conv(weight, out, in, kh, kw, input);
        }

        static Kernel identity(int channels) {
            float[] w = new float[channels * channels];
            for (int c = 0; c < channels; c++) {
                w[c * channels + c] = 1;
            }
            return new Kernel(w, channels, channels, 1, 1, 1, 0, List.of(), List.of());
        }

        Kernel withPath(List<String> p, List<String> n) {
            return new Kernel(weight, out, in, kh, kw, stride, padding, p, n);
        }
    }

    private Expansion() {
    }

    /**
     * The expanded kernel from {@code from} to {@code to} of {@code model}.
     *
     * @throws IllegalArgumentException when {@code from} does not come before {@code to} in one stretch, a
     *                                  layer between them is not linear and not inside a residual branch,
     *                                  or {@code from} is inside a residual branch that {@code to} sums
     *                                  (each message names the layer and what to choose instead)
     */
    public static Kernel between(HookedModel model, String from, String to, NDManager scratch) {
        if (!(model instanceof BlockModel bm)) {
            throw new IllegalArgumentException("expanded weights are read from the model's layers, and '" + model.info().name()
                    + "' does not expose them (a TorchScript model is a black box): open the model from its weights instead");
        }
        model.hookPoint(from);
        model.hookPoint(to);
        List<Block> items = siblingsOf(bm.block(), to);
        int a = indexOf(items, from);
        int b = indexOf(items, to);
        if (items.isEmpty() || a < 0 || a >= b) {
            throw new IllegalArgumentException("'" + from + "' does not come before '" + to + "' in one sequential stretch or residual "
                    + "stream of the model: give as from= a hook point earlier in the same stretch as '" + to + "'");
        }
        return new Walk(items, from, to, scratch).run(a, b, (int) model.hookPoint(from).units());
    }

    /** Why a layer or operation stops the composition: its hook point, what it is, and whether it is linear at all. */
    private record Refusal(String name, String what, boolean linear) {

        IllegalArgumentException exception(String from, String to) {
            return new IllegalArgumentException(linear
                    ? "'" + name + "' is " + what + ", which expanded weights do not compose: choose from= at or after '" + name + "'"
                    : "the layers between '" + from + "' and '" + to + "' are not all linear: '" + name + "' (" + what + ") is not, so "
                            + "there are no expanded weights across it; choose from= at or after '" + name + "'");
        }
    }

    /** A residual block being crossed: where it starts and what is known of its two paths so far. */
    private static final class Crossing {
        final int index;
        final String name;
        /** The kernel from {@code from} to the block's input, or null when {@code from} is inside the block. */
        final Kernel entry;
        final List<String> branch = new ArrayList<>();
        Kernel skip;
        Refusal broken;

        Crossing(int index, String name, Kernel entry) {
            this.index = index;
            this.name = name;
            this.entry = entry;
        }

        void step(String layer) {
            branch.add(local(layer));
        }

        /** {@code layer1.0.conv1} as {@code conv1}, within this block. */
        String local(String layer) {
            return layer.startsWith(name + ".") ? layer.substring(name.length() + 1) : layer;
        }
    }

    /** One walk from {@code from} to {@code to} over the items of one block. */
    private static final class Walk {
        private final List<Block> items;
        private final String from;
        private final String to;
        private final NDManager scratch;
        private Kernel k;
        private Crossing block;

        Walk(List<Block> items, String from, String to, NDManager scratch) {
            this.items = items;
            this.from = from;
            this.to = to;
            this.scratch = scratch;
        }

        /** From item {@code a} to item {@code b}; {@code from} inside a block is refused up front unless {@code to} is in its branch. */
        Kernel run(int a, int b, int channels) {
            k = Kernel.identity(channels);
            HookBlock start = (HookBlock) items.get(a);
            HookBlock end = (HookBlock) items.get(b);
            if (inBlock(start) && start.role() != HookRole.SUM) {
                block = cross(start.blockIndex(), start.hookName(), null);
                if (!inBlock(end) || end.blockIndex() != block.index || end.role() == HookRole.SUM || end.role() == HookRole.BRANCH) {
                    throw offStream(to);
                }
            }
            for (int i = a + 1; i <= b; i++) {
                HookBlock next = nextHook(i);
                if (block == null && inBlock(next)) {
                    block = cross(next.blockIndex(), next.hookName(), k);
                }
                if (items.get(i) instanceof HookBlock h) {
                    hook(h, items.get(i - 1));
                } else {
                    layer(items.get(i), next, layerName(i, next));
                }
            }
            return finish(end);
        }

        private Crossing cross(int index, String at, Kernel entry) {
            String name = blockName(index);
            if (items.stream().noneMatch(x -> x instanceof HookBlock h && h.blockIndex() == index && h.role() == HookRole.SUM)) {
                throw new IllegalArgumentException("'" + at + "' is inside block '" + name + "', whose branches are not summed: expanded "
                        + "weights cross sequential stretches and residual blocks, not concatenated branches; choose from= and the "
                        + "selected layer in one sequential stretch");
            }
            return new Crossing(index, name, entry);
        }

        private void layer(Block layer, HookBlock next, String name) {
            Refusal why = whyNot(layer, next.role(), name);
            if (block != null && next.role() == HookRole.BRANCH && next.blockIndex() == block.index) {
                if (why != null) {
                    throw why.exception(from, to);
                }
                block.skip = through(block.skip != null ? block.skip : block.entry.withPath(List.of(), List.of()), layer, name);
                return;
            }
            if (block != null && block.broken != null) {
                block.step(name);
                return;
            }
            if (why != null) {
                breakOrRefuse(why);
                return;
            }
            k = through(k, layer, name);
            if (block != null) {
                block.step(name);
            }
        }

        /** {@code e} followed by {@code layer}, which {@link #whyNot} accepted; a parameter-free layer of no role is the identity (dropout). */
        private Kernel through(Kernel e, Block layer, String name) {
            if (isBatchNorm(layer)) {
                return scale(e, layer, name, scratch);
            }
            return layer instanceof AvgPool2d || layer instanceof Convolution || layer instanceof Conv2dGeometry ? compose(e, layer, name) : e;
        }

        private void hook(HookBlock h, Block previous) {
            if (h.role() == HookRole.SUM && block != null && h.blockIndex() == block.index) {
                sum(h);
                return;
            }
            if (!(previous instanceof HookBlock p) || h.role() == HookRole.STAGE_OUT) {
                return;
            }
            if (h.role() == HookRole.BLOCK_OUT && p.role() == HookRole.SUM) {
                throw new Refusal(h.hookName(), "the nonlinearity after the residual sum '" + p.hookName() + "'", false)
                        .exception(from, to);
            }
            breakOrRefuse(new Refusal(h.hookName(), h.role() == HookRole.POOL ? "max pooling" : role(h.role()), false));
        }

        /** In a residual branch crossed from the stream, a nonlinearity leaves the branch out; anywhere else it refuses. */
        private void breakOrRefuse(Refusal why) {
            if (block == null || block.entry == null) {
                throw why.exception(from, to);
            }
            if (block.broken == null) {
                block.broken = why;
            }
            block.step(why.name());
        }

        private void sum(HookBlock h) {
            Kernel skip = block.skip != null ? block.skip : block.entry.withPath(List.of(), List.of());
            String shortcut = block.skip != null ? String.join("-", block.skip.path().stream().map(block::local).toList()) : "identity";
            String branch = String.join("-", block.branch);
            List<String> notes = new ArrayList<>(block.entry.notes());
            String what;
            if (block.broken == null) {
                k = add(k, skip);
                what = h.hookName() + " (skip " + shortcut + " + branch " + branch + ")";
            } else {
                k = skip;
                what = h.hookName() + " (skip " + shortcut + " only)";
                notes.add(String.format(Locale.ROOT, "through the skip connection of %s (%s) only: the branch %s is not linear at '%s' "
                        + "(%s) and is left out (the Circuits convention for a nonlinear branch)", block.name, shortcut, branch,
                        block.broken.name(), block.broken.what()));
            }
            k = k.withPath(append(block.entry.path(), what), List.copyOf(notes));
            block = null;
        }

        private Kernel finish(HookBlock end) {
            if (block == null) {
                return k;
            }
            if (end.role() == HookRole.BRANCH) {
                return block.skip == null ? block.entry
                        : block.skip.withPath(Stream.concat(block.entry.path().stream(), block.skip.path().stream()).toList(),
                                block.entry.notes());
            }
            if (block.broken != null) {
                throw block.broken.exception(from, to);
            }
            return k;
        }

        private IllegalArgumentException offStream(String at) {
            return new IllegalArgumentException("'" + from + "' is inside block '" + block.name + "', not on the residual stream, and '"
                    + at + "' also reads the block's input '" + blockInput(block.index) + "' through the skip connection: choose from= '"
                    + blockInput(block.index) + "' or an earlier point of the residual stream");
        }

        private HookBlock nextHook(int i) {
            for (int j = i; j < items.size(); j++) {
                if (items.get(j) instanceof HookBlock h) {
                    return h;
                }
            }
            throw new IllegalStateException("no hook point after item " + i);
        }

        /** The name of a layer: the hook point of its output, with the layer's place when several layers lead to it ({@code downsample.0}). */
        private String layerName(int i, HookBlock next) {
            int first = i;
            while (first > 0 && !(items.get(first - 1) instanceof HookBlock)) {
                first--;
            }
            int last = items.indexOf(next) - 1;
            return first == last ? next.hookName() : next.hookName() + "." + (i - first);
        }

        private String blockName(int index) {
            String sum = null;
            for (Block x : items) {
                if (x instanceof HookBlock h && h.blockIndex() == index) {
                    if (h.role() == HookRole.BLOCK_OUT) {
                        return h.hookName();
                    }
                    if (h.role() == HookRole.SUM) {
                        sum = h.hookName();
                    }
                }
            }
            return sum != null && sum.contains(".") ? sum.substring(0, sum.lastIndexOf('.')) : "block " + index;
        }

        /** The hook point just before the first item of block {@code index}: the block's input. */
        private String blockInput(int index) {
            String last = "the input";
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof HookBlock h && !inBlock(h)) {
                    last = h.hookName();
                } else if (nextHook(i).blockIndex() == index) {
                    break;
                }
            }
            return last;
        }
    }

    /** Whether {@code h} is inside a block: not on the stream between blocks (a block's output is). */
    private static boolean inBlock(HookBlock h) {
        return h.blockIndex() >= 0 && h.role() != HookRole.BLOCK_OUT;
    }

    /** Why {@code layer} (whose output hook point has {@code role}) is not composed, or null if it is. */
    private static Refusal whyNot(Block layer, HookRole role, String name) {
        if (layer instanceof Convolution conv) {
            return conv.getGroups() != 1 || conv.getDilation().get(0) != 1 || conv.getDilation().get(1) != 1
                    ? new Refusal(name, "a grouped or dilated convolution", true) : null;
        }
        if (layer instanceof Conv2dGeometry conv) {
            return conv.groups() != 1 ? new Refusal(name, "a grouped convolution", true) : null;
        }
        if (layer instanceof AvgPool2d || isBatchNorm(layer)) {
            return null;
        }
        if (role == HookRole.POOL && layer.getParameters().isEmpty()) {
            return new Refusal(name, "max pooling", false);
        }
        if (role != HookRole.OTHER || !layer.getParameters().isEmpty()) {
            return new Refusal(name, role(role), false);
        }
        return null;
    }

    private static boolean isBatchNorm(Block layer) {
        return layer.getParameters().contains("runningMean") && layer.getParameters().contains("runningVar");
    }

    private static String role(HookRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** {@code k} followed by a convolution or an average pooling. */
    private static Kernel compose(Kernel k, Block layer, String name) {
        if (layer instanceof AvgPool2d pool) {
            int c = k.out();
            int n = pool.kernel();
            float[] w = new float[c * c * n * n];
            for (int u = 0; u < c; u++) {
                java.util.Arrays.fill(w, (u * c + u) * n * n, (u * c + u + 1) * n * n, 1f / (n * n));
            }
            return convolve(k, w, new long[] {c, c, n, n}, pool.stride(), pool.padding(), name);
        }
        NDArray weight = layer.getParameters().get("weight").getArray();
        if (layer instanceof Convolution conv) {
            return convolve(k, weight.toFloatArray(), weight.getShape().getShape(), (int) conv.getStride().get(0),
                    (int) conv.getPadding().get(0), name);
        }
        Conv2dGeometry conv = (Conv2dGeometry) layer;
        return convolve(k, weight.toFloatArray(), weight.getShape().getShape(), conv.stride(), conv.padding(), name);
    }

    /** {@code k} followed by a convolution {@code w}: E'[o, i, a] = sum over m, p of W[o, m, p] E[m, i, a - p * stride]. */
    private static Kernel convolve(Kernel k, float[] w, long[] s, int stride, int padding, String name) {
        int o = (int) s[0], m = (int) s[1], p = (int) s[2], q = (int) s[3];
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
        return new Kernel(e, o, k.in(), kh, kw, st * stride, k.padding() + padding * st, append(k.path(), name), k.notes());
    }

    /**
     * {@code k} followed by a batch norm: its slope per channel, measured as f(1) - f(0) in inference.
     * Measured on {@code scratch} rather than read from the parameters, so it is the block's own arithmetic.
     */
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
            return new Kernel(e, k.out(), k.in(), k.kh(), k.kw(), k.stride(), k.padding(), append(k.path(), name), k.notes());
        }
    }

    /** The sum of two kernels of the same units and stride, aligned by their paddings. */
    private static Kernel add(Kernel a, Kernel b) {
        if (a.stride() != b.stride() || a.out() != b.out() || a.in() != b.in()) {
            throw new IllegalArgumentException("the branch and the skip connection of a residual block differ in stride or units ("
                    + a.stride() + " vs " + b.stride() + "), so their kernels cannot be added");
        }
        int pad = Math.max(a.padding(), b.padding());
        int kh = Math.max(a.kh() - a.padding(), b.kh() - b.padding()) + pad;
        int kw = Math.max(a.kw() - a.padding(), b.kw() - b.padding()) + pad;
        float[] e = new float[a.out() * a.in() * kh * kw];
        for (Kernel x : List.of(a, b)) {
            int off = pad - x.padding();
            for (int j = 0; j < a.out() * a.in(); j++) {
                for (int r = 0; r < x.kh(); r++) {
                    for (int t = 0; t < x.kw(); t++) {
                        e[(j * kh + r + off) * kw + t + off] += x.weight()[(j * x.kh() + r) * x.kw() + t];
                    }
                }
            }
        }
        return new Kernel(e, a.out(), a.in(), kh, kw, a.stride(), pad, a.path(), a.notes());
    }

    private static List<String> append(List<String> path, String name) {
        return Stream.concat(path.stream(), Stream.of(name)).toList();
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

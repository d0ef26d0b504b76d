package org.loupe.analysis.units.internal;

import java.util.List;
import java.util.Optional;

import org.loupe.core.model.HookedModel;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.model.blocks.HookBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Finds the convolution whose output channels are a hook point's units, in the model's DJL block
 * tree: walking back from the hook point among its siblings in a sequential block, over other hook
 * points and channel-wise layers (norms, nonlinearities, pools) to the first block with a 4-D
 * weight; the hook point before that convolution gives the input units.
 */
public final class Convs {

    /**
     * A convolution feeding a hook point.
     *
     * @param weight the weights {@code [out, in, kh, kw]}, copied out of the engine
     * @param out    output channels
     * @param in     input channels
     * @param kh     kernel rows
     * @param kw     kernel columns
     * @param input  the hook point whose units are the convolution's input channels, or null for the image
     */
    public record Conv(float[] weight, int out, int in, int kh, int kw, String input) {

        /** The kernel slice from input channel {@code c} to output channel {@code u}, row by row. */
        public float[] slice(int u, int c) {
            float[] s = new float[kh * kw];
            System.arraycopy(weight, ((u * in) + c) * kh * kw, s, 0, s.length);
            return s;
        }

        /** The L2 norm of {@link #slice}. */
        public double norm(int u, int c) {
            double sum = 0;
            int base = ((u * in) + c) * kh * kw;
            for (int i = 0; i < kh * kw; i++) {
                sum += (double) weight[base + i] * weight[base + i];
            }
            return Math.sqrt(sum);
        }

        /** The sum of {@link #slice}: positive if the input excites the unit overall. */
        public double sum(int u, int c) {
            double sum = 0;
            int base = ((u * in) + c) * kh * kw;
            for (int i = 0; i < kh * kw; i++) {
                sum += weight[base + i];
            }
            return sum;
        }
    }

    private Convs() {
    }

    /**
     * The convolution feeding {@code hookPoint} of {@code model}.
     *
     * @throws IllegalArgumentException saying why there is none: a model without readable blocks,
     *                                  or a hook point not fed channel-wise by a convolution
     */
    public static Conv feeding(HookedModel model, String hookPoint) {
        if (!(model instanceof BlockModel bm)) {
            throw new IllegalArgumentException("weights are read from the model's layers, and '" + model.info().name()
                    + "' does not expose them (a TorchScript model is a black box): open the model from its weights "
                    + "(safetensors, .pth or .npz) instead");
        }
        model.hookPoint(hookPoint);
        Pair<Block, Integer> where = find(bm.block(), hookPoint);
        if (where == null) {
            throw new IllegalArgumentException("'" + hookPoint + "' is not a layer of a sequential stretch of the model, so the convolution "
                    + "feeding it cannot be found; weights are shown for sequential CNNs");
        }
        List<Block> siblings = where.getKey().getChildren().values();
        for (int i = where.getValue() - 1; i >= 0; i--) {
            Block b = siblings.get(i);
            if (b instanceof HookBlock) {
                continue;
            }
            Parameter w = weight(b);
            if (w != null && w.getArray().getShape().dimension() == 4) {
                NDArray a = w.getArray();
                long[] s = a.getShape().getShape();
                String input = null;
                for (int j = i - 1; j >= 0 && input == null; j--) {
                    if (siblings.get(j) instanceof HookBlock h) {
                        input = h.hookName();
                    }
                }
                return new Conv(a.toFloatArray(), (int) s[0], (int) s[1], (int) s[2], (int) s[3], input);
            }
            if (w != null && w.getArray().getShape().dimension() != 1) {
                break;
            }
        }
        throw new IllegalArgumentException("'" + hookPoint + "' is not fed channel by channel by a convolution (a linear layer or "
                + "a flatten comes first): choose a conv hook point or the activation after one");
    }

    /**
     * The convolution that reads {@code hookPoint}'s units as its input channels, with the hook
     * point of its output (the first after it), or empty if none does: the hook point is the last
     * conv stretch, or a linear layer or a flatten comes first.
     *
     * @param conv   the convolution; its {@link Conv#input()} is {@code hookPoint}
     * @param output the hook point whose units are the convolution's output channels
     */
    public record Reader(Conv conv, String output) {
    }

    /** The convolution reading {@code hookPoint}'s units, if any; see {@link Reader}. */
    public static Optional<Reader> readBy(HookedModel model, String hookPoint) {
        if (!(model instanceof BlockModel bm)) {
            return Optional.empty();
        }
        Pair<Block, Integer> where = find(bm.block(), hookPoint);
        if (where == null) {
            return Optional.empty();
        }
        List<Block> siblings = where.getKey().getChildren().values();
        for (int i = where.getValue() + 1; i < siblings.size(); i++) {
            Block b = siblings.get(i);
            if (b instanceof HookBlock) {
                continue;
            }
            Parameter w = weight(b);
            if (w != null && w.getArray().getShape().dimension() == 4) {
                for (int j = i + 1; j < siblings.size(); j++) {
                    if (siblings.get(j) instanceof HookBlock h) {
                        NDArray a = w.getArray();
                        long[] s = a.getShape().getShape();
                        return Optional.of(new Reader(new Conv(a.toFloatArray(), (int) s[0], (int) s[1], (int) s[2], (int) s[3],
                                hookPoint), h.hookName()));
                    }
                }
                return Optional.empty();
            }
            if (w != null && w.getArray().getShape().dimension() != 1) {
                return Optional.empty(); // a linear layer reads it
            }
        }
        return Optional.empty();
    }

    private static Parameter weight(Block b) {
        for (Pair<String, Parameter> p : b.getParameters()) {
            if (p.getKey().equals("weight") || p.getKey().equals("gamma")) {
                return p.getValue();
            }
        }
        return null;
    }

    /** The block whose direct child is the hook block {@code name}, and the child's index. */
    private static Pair<Block, Integer> find(Block block, String name) {
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof HookBlock h && h.hookName().equals(name)) {
                return new Pair<>(block, i);
            }
            Pair<Block, Integer> inner = find(children.get(i), name);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }
}

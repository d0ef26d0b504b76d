package org.loupe.core.model.blocks;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * The main path of a network as a sequence of steps and hook points: what makes a forward pass
 * resumable. Every hook point on the trunk is a place a pass can start at, given its activation;
 * hook points inside a step (inside a branch or a residual block) are not, and a pass that needs
 * them starts at the trunk hook point before the step.
 *
 * <p>An architecture writes its forward pass as a trunk ({@code trunk.step(...).hook(...)}) and
 * runs {@link #forward}; {@link BlockModel} runs {@link #forwardFrom} to resume. Each intermediate is
 * closed as soon as the next item has consumed it; the input belongs to the caller and stays open.
 *
 * @since 0.1
 */
public final class Trunk {

    /** One step of the trunk: a function of the activation that returns a new array and leaves its input open. */
    @FunctionalInterface
    public interface Step {
        /** Computes the next activation from {@code x}; {@code x} belongs to the caller. */
        NDArray apply(ParameterStore ps, NDArray x, boolean training);
    }

    private record Item(Step step, HookBlock hook) {
        NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            return hook != null ? hook.apply(x) : step.apply(ps, x, training);
        }
    }

    private final List<Item> items = new ArrayList<>();

    /** Appends a step. */
    public Trunk step(Step step) {
        items.add(new Item(step, null));
        return this;
    }

    /** Appends a child block as a step. */
    public Trunk block(Block block) {
        return step((ps, x, training) -> block.forward(ps, new NDList(x), training).singletonOrThrow());
    }

    /** Appends hook points, in order, on the activation the trunk carries. */
    public Trunk hook(HookBlock... hooks) {
        for (HookBlock h : hooks) {
            items.add(new Item(null, h));
        }
        return this;
    }

    /** Appends the items of {@code other} (a sub-block's trunk), whose hook points become resumable here too. */
    public Trunk append(Trunk other) {
        items.addAll(other.items);
        return this;
    }

    /** The trunk of a sequential block: its children, hook points among them resumable. */
    public static Trunk of(SequentialBlock sequential) {
        Trunk t = new Trunk();
        for (var child : sequential.getChildren()) {
            if (child.getValue() instanceof HookBlock h) {
                t.hook(h);
            } else {
                t.block(child.getValue());
            }
        }
        return t;
    }

    /** The names of the hook points on the trunk, in forward order. */
    public List<String> resumablePoints() {
        return items.stream().filter(i -> i.hook != null).map(i -> i.hook.hookName()).toList();
    }

    /** The whole trunk on {@code input}. */
    public NDArray forward(ParameterStore ps, NDArray input, boolean training) {
        return run(ps, 0, input, training);
    }

    /**
     * The rest of the trunk from the hook point {@code point}, given the activation entering it:
     * the hook point's own hooks apply to {@code activation}, then everything after it runs.
     *
     * @throws IllegalArgumentException if {@code point} is not on the trunk
     */
    public NDArray forwardFrom(ParameterStore ps, String point, NDArray activation, boolean training) {
        for (int i = 0; i < items.size(); i++) {
            HookBlock h = items.get(i).hook;
            if (h != null && h.hookName().equals(point)) {
                return run(ps, i, activation, training);
            }
        }
        throw new IllegalArgumentException("'" + point + "' is not on the trunk; resumable: " + resumablePoints());
    }

    private NDArray run(ParameterStore ps, int first, NDArray input, boolean training) {
        NDArray x = input;
        for (int i = first; i < items.size(); i++) {
            NDArray next = items.get(i).apply(ps, x, training);
            if (next != x && x != input) {
                x.close();
            }
            x = next;
        }
        return x;
    }
}

package org.loupe.core.model;

import java.util.List;
import java.util.Optional;

import ai.djl.ndarray.NDArray;

/**
 * A model opened in Loupe: its identity, the input it expects, its hook points in forward order and
 * its class labels, and a forward pass that records, intervenes and keeps gradients at hook points.
 *
 * <p>Arrays returned by {@link #forward} belong to the NDManager of the input; close that manager
 * (or an NDScope around the call) to release them. Implementations are safe to share between
 * threads; forward passes on one model run one at a time.
 *
 * @since 0.1
 */
public interface HookedModel extends AutoCloseable {

    /** The model's identity. */
    ModelInfo info();

    /** The input the model expects. */
    InputSpec inputSpec();

    /** The hook points in forward order; empty for black-box models. */
    List<HookPoint> hookPoints();

    /** The class labels, one per output; empty if the model has none. */
    List<String> labels();

    /**
     * Runs the whole model on a batch.
     *
     * @param input preprocessed input {@code [N, C, H, W]} (see {@link org.loupe.core.images.ImageTensors})
     * @param hooks what to record, change and keep gradients for
     * @throws UnknownHookPointException if {@code hooks} names a hook point the model does not have
     */
    default ModelOutput forward(NDArray input, Hooks hooks) {
        return forward(input, hooks, Range.ALL);
    }

    /**
     * Runs part of the model on a batch: from the input or a resumable hook point, to the output or
     * up to a hook point (see {@link Range}). A pass that stops after a hook point computes nothing
     * beyond it and returns that activation as its {@link ModelOutput#output()}.
     *
     * @param input preprocessed input {@code [N, C, H, W]}, or the batched activation entering
     *              {@code range.from()}
     * @param hooks what to record, change and keep gradients for; only hook points the range reaches
     * @throws UnknownHookPointException if {@code hooks} or {@code range} name a hook point the model does not have
     * @throws IllegalArgumentException  if the start is not resumable (the message names the nearest
     *                                   one that is), the stop comes before the start, or the hooks
     *                                   name a hook point outside the range
     */
    ModelOutput forward(NDArray input, Hooks hooks, Range range);

    /** Whether the model exposes hook points (false for black-box TorchScript models). */
    default boolean hookable() {
        return !hookPoints().isEmpty();
    }

    /** The hook point called {@code name}, if any. */
    default Optional<HookPoint> findHookPoint(String name) {
        return hookPoints().stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /**
     * The hook point called {@code name}.
     *
     * @throws UnknownHookPointException naming the closest existing hook points
     */
    default HookPoint hookPoint(String name) {
        return findHookPoint(name).orElseThrow(() -> UnknownHookPointException.of(name, this));
    }

    /** The hook points of {@code role}, in forward order (by block for per-block roles). */
    default List<HookPoint> hookPoints(HookRole role) {
        return hookPoints().stream().filter(h -> h.role() == role).toList();
    }

    /** The hook point of {@code role} in block {@code block}, if there is one (the first, if several). */
    default Optional<HookPoint> hookPoint(HookRole role, int block) {
        return hookPoints().stream().filter(h -> h.role() == role && h.block() == block).findFirst();
    }

    /**
     * The nearest resumable hook point at or before {@code name} in forward order: where a pass
     * starts in order to intervene at {@code name} when {@code name} itself is not resumable.
     * Empty if none is (start at the input).
     *
     * @throws UnknownHookPointException if there is no hook point called {@code name}
     */
    default Optional<HookPoint> resumePointFor(String name) {
        hookPoint(name);
        HookPoint best = null;
        for (HookPoint p : hookPoints()) {
            if (p.resumable()) {
                best = p;
            }
            if (p.name().equals(name)) {
                break;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Releases the model's weights. */
    @Override
    void close();
}

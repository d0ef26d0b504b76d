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
     * Runs the model on a batch.
     *
     * @param input preprocessed input {@code [N, C, H, W]} (see {@link org.loupe.core.images.ImageTensors})
     * @param hooks what to record, change and keep gradients for
     * @throws UnknownHookPointException if {@code hooks} names a hook point the model does not have
     */
    ModelOutput forward(NDArray input, Hooks hooks);

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

    /** Releases the model's weights. */
    @Override
    void close();
}

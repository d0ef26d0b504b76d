package org.loupe.analysis.causal.internal;

import java.util.Optional;

import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;

/**
 * The passes an intervention at one hook point needs: the prefix up to the nearest resumable hook
 * point at or before it, run once per image batch, and the rest of the network from there, run as
 * often as there are interventions. Where nothing before the hook point is resumable, the prefix is
 * the input itself.
 */
public final class LayerPasses {

    private final HookedModel model;
    private final HookPoint layer;
    private final Optional<HookPoint> start;

    /** Passes for interventions at {@code layer} of {@code model}. */
    public LayerPasses(HookedModel model, HookPoint layer) {
        this.model = model;
        this.layer = layer;
        this.start = model.resumePointFor(layer.name());
    }

    /** The hook point the interventions act on. */
    public HookPoint layer() {
        return layer;
    }

    /** The hook point the resumed passes start at, if not the input. */
    public Optional<HookPoint> start() {
        return start;
    }

    /** The activation entering the start point for a preprocessed input batch (the input itself if there is no start point). */
    public NDArray prefix(NDArray input) {
        if (start.isEmpty()) {
            return input;
        }
        return model.forward(input, Hooks.none(), Range.until(start.get().name())).output();
    }

    /** The activation at the layer itself, for a preprocessed input batch: nothing beyond it is computed. */
    public NDArray activation(NDArray input) {
        return model.forward(input, Hooks.none(), Range.until(layer.name())).output();
    }

    /** The logits of the rest of the network run from a prefix batch with {@code hooks}. */
    public NDArray resume(NDArray prefix, Hooks hooks) {
        if (start.isEmpty()) {
            return model.forward(prefix, hooks).output();
        }
        return model.forward(prefix, hooks, Range.from(start.get().name())).output();
    }

    /**
     * A bound on the memory one batch row of a resumed pass needs, in bytes: every activation from
     * the start point to the output, as float32, plus the prefix row (kept in a pass, whether or not
     * the engine frees an activation once the next is computed).
     */
    public long bytesPerRow() {
        long elements = 0;
        boolean counting = start.isEmpty();
        if (counting) {
            elements += (long) model.inputSpec().channels() * model.inputSpec().height() * model.inputSpec().width();
        }
        for (HookPoint p : model.hookPoints()) {
            if (!counting && p.name().equals(start.get().name())) {
                counting = true;
            }
            if (counting) {
                elements += p.shape().size();
            }
        }
        return Math.max(1, elements) * Float.BYTES * 2;
    }
}

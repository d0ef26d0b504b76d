package org.loupe.core.model.blocks;

import org.loupe.core.model.HookKind;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An identity block that marks a hook point inside a DJL block graph. During a forward pass of a
 * {@link BlockModel} it hands the activation to the run's hooks, which may record it, replace it
 * (intervention) or attach a gradient probe; outside a run it passes the activation through.
 *
 * <p>Put one wherever an analyst may look: after each convolution, branch and block, on every
 * attention probability tensor, every MLP hidden layer.
 *
 * <p>Recorded activations are separate handles on the same values, and an intervention's result is
 * handed on as a new handle, so a model may close what {@link #apply} returns as soon as its own
 * forward pass no longer needs it. Models should: an intermediate closed when dead is memory
 * libtorch can reuse within the pass, instead of fresh pages for every layer.
 */
public final class HookBlock extends AbstractBlock {

    private final String hookName;
    private final HookKind kind;
    private volatile HookRun run;

    /** Creates a hook point called {@code name} holding activations of {@code kind}. */
    public HookBlock(String name, HookKind kind) {
        this.hookName = name;
        this.kind = kind;
    }

    /** The hook point's name. */
    public String hookName() {
        return hookName;
    }

    /** The hook point's kind. */
    public HookKind kind() {
        return kind;
    }

    /**
     * Passes one activation through the hook point (for blocks that call it inline). The result
     * is {@code x} itself or, after an intervention, a new handle; either way the caller owns it.
     */
    public NDArray apply(NDArray x) {
        HookRun r = run;
        return r == null ? x : r.visit(this, x);
    }

    void bind(HookRun r) {
        run = r;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "HookBlock(" + hookName + ")";
    }
}

package org.loupe.core.model.blocks;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.TokenLayout;

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
 *
 * @since 0.1
 */
public final class HookBlock extends AbstractBlock {

    private final String hookName;
    private final HookKind kind;
    private final HookRole role;
    private final int blockIndex;
    private final TokenLayout layout;
    private volatile HookRun run;

    /** Creates a hook point called {@code name} holding activations of {@code kind}, of role {@link HookRole#OTHER}. */
    public HookBlock(String name, HookKind kind) {
        this(name, kind, HookRole.OTHER, -1, null);
    }

    /**
     * Creates a hook point with its structure.
     *
     * @param role   what it is in the network
     * @param block  the index of the block it belongs to, in forward order; -1 outside blocks
     * @param layout for token and attention hook points, where the tokens come from; null otherwise
     */
    public HookBlock(String name, HookKind kind, HookRole role, int block, TokenLayout layout) {
        this.hookName = name;
        this.kind = kind;
        this.role = role;
        this.blockIndex = block;
        this.layout = layout;
    }

    /** The hook point's name. */
    public String hookName() {
        return hookName;
    }

    /** The hook point's kind. */
    public HookKind kind() {
        return kind;
    }

    /** The hook point's role. */
    public HookRole role() {
        return role;
    }

    /** The index of the block the hook point belongs to; -1 outside blocks. */
    public int blockIndex() {
        return blockIndex;
    }

    /** The token layout, or null. */
    public TokenLayout layout() {
        return layout;
    }

    /**
     * Passes one activation through the hook point (for blocks that call it inline). The result
     * is {@code x} itself or, after an intervention, a new handle; either way the caller owns it.
     */
    public NDArray apply(NDArray x) {
        HookRun r = run;
        return r == null ? x : r.visit(this, x);
    }

    /**
     * Whether the current forward pass does anything at this hook point (records it, intervenes,
     * keeps its gradient or stops there). Where it does not, a model may compute past the hook
     * point without materialising its activation, for example with a convolution and the batch
     * norm after it folded into one.
     *
     * @since 0.1
     */
    public boolean watched() {
        HookRun r = run;
        return r != null && r.acts(hookName);
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

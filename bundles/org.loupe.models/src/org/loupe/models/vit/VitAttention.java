package org.loupe.models.vit;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.Scalars;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.models.WeightBinder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention computed step by step, never with a fused kernel, so that every
 * intermediate is a hook point: q, k, v {@code [T, D]}, the attention probabilities
 * {@code softmax(q kᵀ / √d)} {@code [heads, T, T]}, the context (probabilities times values, heads side
 * by side, before the output projection) and the projected output. An intervention on the
 * probabilities changes what the values are mixed with; a gradient probe there gives
 * d objective / d probabilities.
 */
final class VitAttention extends AbstractBlock {

    private final int width;
    private final int heads;
    private final Linear qkv;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear proj;
    private final HookBlock q;
    private final HookBlock k;
    private final HookBlock v;
    private final HookBlock probs;
    private final HookBlock context;
    private final HookBlock out;

    VitAttention(VitConfig c, int layer) {
        VitNames n = c.names();
        this.width = c.width();
        this.heads = c.heads();
        if (n.fusedQkv()) {
            qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
            query = null;
            key = null;
            value = null;
        } else {
            qkv = null;
            query = addChildBlock("query", Linear.builder().setUnits(width).build());
            key = addChildBlock("key", Linear.builder().setUnits(width).build());
            value = addChildBlock("value", Linear.builder().setUnits(width).build());
        }
        q = addChildBlock("q", VitBlocks.tokenHook(n.qHook(layer), HookKind.TOKENS, HookRole.ATTN_Q, layer, c));
        k = addChildBlock("k", VitBlocks.tokenHook(n.kHook(layer), HookKind.TOKENS, HookRole.ATTN_K, layer, c));
        v = addChildBlock("v", VitBlocks.tokenHook(n.vHook(layer), HookKind.TOKENS, HookRole.ATTN_V, layer, c));
        probs = addChildBlock("probs", VitBlocks.tokenHook(n.probsHook(layer), HookKind.ATTENTION, HookRole.ATTN_PROBS, layer, c));
        context = addChildBlock("context", VitBlocks.tokenHook(n.contextHook(layer), HookKind.TOKENS, HookRole.ATTN_CONTEXT, layer, c));
        proj = addChildBlock("proj", Linear.builder().setUnits(width).build());
        out = addChildBlock("out", VitBlocks.tokenHook(n.attnProj(layer), HookKind.TOKENS, HookRole.ATTN_OUT, layer, c));
    }

    /** Declares this block's tensors. */
    void expect(WeightBinder binder, VitNames n, int layer) {
        if (qkv != null) {
            binder.expect(n.qkvWeight(layer), qkv.getParameters().get("weight"));
            binder.expect(n.qkvBias(layer), qkv.getParameters().get("bias"));
        } else {
            VitBlocks.linear(binder, n.projection(layer, "query"), query);
            VitBlocks.linear(binder, n.projection(layer, "key"), key);
            VitBlocks.linear(binder, n.projection(layer, "value"), value);
        }
        VitBlocks.linear(binder, n.attnProj(layer), proj);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray qa;
        NDArray ka;
        NDArray va;
        if (qkv != null) {
            NDArray fused = qkv.forward(ps, new NDList(x), training).singletonOrThrow();
            NDList parts = fused.split(3, 2);
            fused.close();
            qa = parts.get(0);
            ka = parts.get(1);
            va = parts.get(2);
        } else {
            qa = query.forward(ps, new NDList(x), training).singletonOrThrow();
            ka = key.forward(ps, new NDList(x), training).singletonOrThrow();
            va = value.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        qa = q.apply(qa);
        ka = k.apply(ka);
        va = v.apply(va);
        int hd = width / heads;
        // every intermediate is closed as soon as it is dead (recorded activations are separate handles)
        NDArray qr = qa.reshape(b, t, heads, hd);
        NDArray kr = ka.reshape(b, t, heads, hd);
        NDArray vr = va.reshape(b, t, heads, hd);
        NDArray qh = qr.transpose(0, 2, 1, 3);
        NDArray kh = kr.transpose(0, 2, 3, 1);
        NDArray vh = vr.transpose(0, 2, 1, 3);
        new NDList(qa, ka, va, qr, kr, vr).close();
        NDArray scores = qh.matMul(kh);
        NDArray scaled = Scalars.div(scores, Math.sqrt(hd));
        NDArray p = probs.apply(scaled.softmax(-1));
        new NDList(qh, kh, scores, scaled).close();
        NDArray mixed = p.matMul(vh);
        NDArray byToken = mixed.transpose(0, 2, 1, 3);
        NDArray ctx = context.apply(byToken.reshape(b, t, width));
        new NDList(p, vh, mixed, byToken).close();
        NDArray projected = out.apply(proj.forward(ps, new NDList(ctx), training).singletonOrThrow());
        ctx.close();
        return new NDList(projected);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        VitBlocks.initializeAll(this, manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

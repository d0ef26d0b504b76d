package org.loupe.models.vit;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.core.model.blocks.Trunk;
import org.loupe.models.WeightBinder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm encoder block: {@code x += attention(norm1(x)); x += fc2(gelu(fc1(norm2(x))))}, with
 * the residual stream before the block, after attention and after the MLP, both norms' outputs, the
 * MLP hidden layer after (exact, erf) GELU and the MLP output as hook points. On the model's trunk
 * the block is two steps, attention and MLP, so the residual stream before, between and after them
 * is resumable.
 */
final class VitEncoderBlock extends AbstractBlock {

    private final int mlp;
    private final HookBlock residPre;
    private final LayerNorm norm1;
    private final HookBlock norm1Out;
    private final VitAttention attention;
    private final HookBlock residMid;
    private final LayerNorm norm2;
    private final HookBlock norm2Out;
    private final Linear fc1;
    private final HookBlock act;
    private final Linear fc2;
    private final HookBlock mlpOut;
    private final HookBlock residPost;
    private final Trunk trunk;

    VitEncoderBlock(VitConfig c, int layer) {
        VitNames n = c.names();
        mlp = c.mlp();
        residPre = addChildBlock("resid_pre", VitBlocks.tokenHook(n.residPre(layer), HookKind.TOKENS, HookRole.RESID_PRE, layer, c));
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).optEpsilon(c.eps()).build());
        norm1Out = addChildBlock("norm1_out", VitBlocks.tokenHook(n.norm1(layer), HookKind.TOKENS, HookRole.NORM, layer, c));
        attention = addChildBlock("attention", new VitAttention(c, layer));
        residMid = addChildBlock("resid_mid", VitBlocks.tokenHook(n.residMid(layer), HookKind.TOKENS, HookRole.RESID_MID, layer, c));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).optEpsilon(c.eps()).build());
        norm2Out = addChildBlock("norm2_out", VitBlocks.tokenHook(n.norm2(layer), HookKind.TOKENS, HookRole.NORM, layer, c));
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(c.mlp()).build());
        act = addChildBlock("act", VitBlocks.tokenHook(n.mlpActHook(layer), HookKind.TOKENS, HookRole.MLP_HIDDEN, layer, c));
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(c.width()).build());
        mlpOut = addChildBlock("mlp_out", VitBlocks.tokenHook(n.fc2(layer), HookKind.TOKENS, HookRole.MLP_OUT, layer, c));
        residPost = addChildBlock("resid_post", VitBlocks.tokenHook(n.residPost(layer), HookKind.TOKENS, HookRole.RESID_POST, layer, c));
        trunk = new Trunk().hook(residPre).step(this::attend).hook(residMid).step(this::mlp).hook(residPost);
    }

    /** The block as trunk items: resid_pre, attention, resid_mid, MLP, resid_post. */
    Trunk trunk() {
        return trunk;
    }

    /** Declares this block's tensors. */
    void expect(WeightBinder binder, VitNames n, int layer) {
        VitBlocks.layerNorm(binder, n.norm1(layer), norm1);
        attention.expect(binder, n, layer);
        VitBlocks.layerNorm(binder, n.norm2(layer), norm2);
        VitBlocks.linear(binder, n.fc1(layer), fc1);
        VitBlocks.linear(binder, n.fc2(layer), fc2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(trunk.forward(ps, inputs.singletonOrThrow(), training));
    }

    /** {@code x + attention(norm1(x))}; {@code x} belongs to the caller, every intermediate is closed as soon as it is dead. */
    private NDArray attend(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = norm1Out.apply(norm1.forward(ps, new NDList(x), training).singletonOrThrow());
        NDArray a = attention.forward(ps, new NDList(h), training).singletonOrThrow();
        NDArray mid = x.add(a);
        new NDList(h, a).close();
        return mid;
    }

    /** {@code mid + fc2(gelu(fc1(norm2(mid))))}; {@code mid} belongs to the caller. */
    private NDArray mlp(ParameterStore ps, NDArray mid, boolean training) {
        NDArray h = norm2Out.apply(norm2.forward(ps, new NDList(mid), training).singletonOrThrow());
        NDArray f = fc1.forward(ps, new NDList(h), training).singletonOrThrow();
        NDArray g = act.apply(Activation.gelu(f));
        new NDList(h, f).close();
        NDArray o = mlpOut.apply(fc2.forward(ps, new NDList(g), training).singletonOrThrow());
        NDArray out = mid.add(o);
        new NDList(g, o).close();
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        Shape hidden = new Shape(tokens.get(0), tokens.get(1), mlp);
        for (var child : getChildren()) {
            child.getValue().initialize(manager, dataType, child.getValue() == fc2 ? hidden : tokens);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

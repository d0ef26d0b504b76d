package org.loupe.models.vit;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.core.model.blocks.Resumable;
import org.loupe.core.model.blocks.Trunk;
import org.loupe.djl.SafeConv2d;
import org.loupe.models.WeightBinder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A Vision Transformer (Dosovitskiy et al. 2020) as DJL blocks with hook points everywhere: the
 * patch embedding, the embedded tokens, everything inside each {@link VitEncoderBlock}, the final
 * norm, the pooled class token, torchvision's representation layer and the logits. The same block
 * serves the torchvision, timm and Hugging Face conventions; {@link VitNames} gives the names.
 * Every hook point between steps of the trunk is resumable: the patch embedding, the embedded
 * tokens, each block's residual stream before, between and after attention and MLP, the final norm,
 * the pooled token and torchvision's representation layer.
 */
final class VisionTransformer extends AbstractBlock implements Resumable {

    private final VitConfig config;
    private final SafeConv2d patchConv;
    private final HookBlock patchOut;
    private final Parameter classToken;
    private final Parameter posEmbedding;
    private final HookBlock embedded;
    private final List<VitEncoderBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final HookBlock normOut;
    private final HookBlock pooled;
    private final Linear preLogits;
    private final HookBlock preLogitsOut;
    private final HookBlock preLogitsAct;
    private final Linear head;
    private final HookBlock logits;
    private final Trunk trunk = new Trunk();

    VisionTransformer(VitConfig c) {
        this.config = c;
        VitNames n = c.names();
        int p = c.patch();
        patchConv = addChildBlock("patch_embed", new SafeConv2d(c.width(), p, p, 0, true, 1));
        patchOut = addChildBlock("patch_embed_out", new HookBlock(n.patchConv(), HookKind.CONV_CHANNELS, HookRole.PATCH_EMBED, -1, null));
        classToken = addParameter(Parameter.builder().setName("class_token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, c.width())).optInitializer(Initializer.ZEROS).build());
        posEmbedding = addParameter(Parameter.builder().setName("pos_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, c.tokens(), c.width())).optInitializer(Initializer.ZEROS).build());
        embedded = addChildBlock("embedded", VitBlocks.tokenHook(n.embeddedHook(), HookKind.TOKENS, HookRole.EMBEDDED, -1, c));
        for (int i = 0; i < c.depth(); i++) {
            blocks.add(addChildBlock("block" + i, new VitEncoderBlock(c, i)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(c.eps()).build());
        normOut = addChildBlock("norm_out", VitBlocks.tokenHook(n.finalNorm(), HookKind.TOKENS, HookRole.NORM, -1, c));
        pooled = addChildBlock("pooled", new HookBlock(n.pooledHook(), HookKind.VECTOR, HookRole.POOLED, -1, null));
        if (c.representation() > 0) {
            preLogits = addChildBlock("pre_logits", Linear.builder().setUnits(c.representation()).build());
            preLogitsOut = addChildBlock("pre_logits_out", new HookBlock(n.preLogits(), HookKind.VECTOR, HookRole.OTHER, -1, null));
            preLogitsAct = addChildBlock("pre_logits_act", new HookBlock(n.preLogitsActHook(), HookKind.VECTOR, HookRole.ACT, -1, null));
        } else {
            preLogits = null;
            preLogitsOut = null;
            preLogitsAct = null;
        }
        if (c.hasClassifier()) {
            head = addChildBlock("head", Linear.builder().setUnits(c.classes()).build());
            logits = addChildBlock("logits", new HookBlock(n.head(), HookKind.LOGITS, HookRole.LOGITS, -1, null));
        } else {
            head = null;
            logits = null;
        }
        trunk.step((ps, x, t) -> patchConv.forward(ps, new NDList(x), t).singletonOrThrow()).hook(patchOut).step(this::embed).hook(embedded);
        for (VitEncoderBlock block : blocks) {
            trunk.append(block.trunk());
        }
        trunk.block(norm).hook(normOut).step((ps, z, t) -> z.get(":, 0")).hook(pooled);
        if (preLogits != null) {
            trunk.block(preLogits).hook(preLogitsOut).step((ps, x, t) -> x.tanh()).hook(preLogitsAct);
        }
        if (head != null) {
            trunk.block(head).hook(logits);
        }
    }

    @Override
    public Trunk trunk() {
        return trunk;
    }

    /** The tensors of the whole network, by the convention's names. */
    WeightBinder binder() {
        VitNames n = config.names();
        WeightBinder binder = new WeightBinder();
        binder.expect(n.patchConv() + ".weight", patchConv.getParameters().get("weight"));
        binder.expect(n.patchConv() + ".bias", patchConv.getParameters().get("bias"));
        binder.expect(n.classToken(), classToken);
        binder.expect(n.posEmbedding(), posEmbedding);
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).expect(binder, n, i);
        }
        VitBlocks.layerNorm(binder, n.finalNorm(), norm);
        if (preLogits != null) {
            VitBlocks.linear(binder, n.preLogits(), preLogits);
        }
        if (head != null) {
            VitBlocks.linear(binder, n.head(), head);
        }
        return binder;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(trunk.forward(ps, inputs.singletonOrThrow(), training));
    }

    /** Patch map {@code [N, D, g, g]} to tokens {@code [N, 1 + g*g, D]}: flattened patches after the class token, plus the position embedding. */
    private NDArray embed(ParameterStore ps, NDArray patches, boolean training) {
        long b = patches.getShape().get(0);
        int d = config.width();
        NDArray flat = patches.reshape(b, d, -1);
        NDArray tokens = flat.transpose(0, 2, 1);
        // results of an op belong to its first operand's manager: keep everything derived from the
        // class token in the input's manager, never in the weights' (which would grow every pass)
        NDArray cls = ps.getValue(classToken, patches.getDevice(), training).broadcast(b, 1, d);
        cls.attach(patches.getManager());
        NDArray joined = NDArrays.concat(new NDList(cls, tokens), 1);
        new NDList(flat, tokens, cls).close();
        NDArray t = joined.add(ps.getValue(posEmbedding, patches.getDevice(), training));
        joined.close();
        return t;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        Shape tokens = new Shape(b, config.tokens(), config.width());
        Shape vector = new Shape(b, config.width());
        patchConv.initialize(manager, dataType, inputShapes[0]);
        for (var child : getChildren()) {
            var block = child.getValue();
            if (block == patchConv) {
                continue;
            }
            Shape in = tokens;
            if (block == preLogits || block == pooled) {
                in = vector;
            } else if (block == head) {
                in = new Shape(b, config.representation() > 0 ? config.representation() : config.width());
            }
            block.initialize(manager, dataType, in);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        int outputs = config.hasClassifier() ? config.classes() : config.representation() > 0 ? config.representation() : config.width();
        return new Shape[] {new Shape(b, outputs)};
    }
}

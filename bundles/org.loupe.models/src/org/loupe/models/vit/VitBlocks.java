package org.loupe.models.vit;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.model.blocks.HookBlock;

import org.loupe.models.WeightBinder;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;

/** Small helpers shared by the ViT blocks: declaring the tensors of DJL layers, initialising children. */
final class VitBlocks {

    private VitBlocks() {
    }

    /** Expects {@code name.weight} and {@code name.bias} for a linear layer. */
    /** A hook point on tokens ({@code [T, D]}) or attention ({@code [heads, T, T]}) of block {@code layer}, with the config's token layout. */
    static HookBlock tokenHook(String name, HookKind kind, HookRole role, int layer, VitConfig c) {
        return new HookBlock(name, kind, role, layer, TokenLayout.classTokenAndGrid(c.grid(), c.grid()));
    }

    static void linear(WeightBinder binder, String name, Linear layer) {
        binder.expect(name + ".weight", layer.getParameters().get("weight"));
        binder.expect(name + ".bias", layer.getParameters().get("bias"));
    }

    /** Expects {@code name.weight} and {@code name.bias} for a LayerNorm (DJL's gamma and beta). */
    static void layerNorm(WeightBinder binder, String name, LayerNorm norm) {
        binder.expect(name + ".weight", norm.getParameters().get("gamma"));
        binder.expect(name + ".bias", norm.getParameters().get("beta"));
    }

    /** Initialises every child of {@code parent} for the same input shape. */
    static void initializeAll(Block parent, NDManager manager, DataType dataType, Shape input) {
        for (Pair<String, Block> child : parent.getChildren()) {
            child.getValue().initialize(manager, dataType, input);
        }
    }
}

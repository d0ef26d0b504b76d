package org.loupe.core.tests;

import java.util.List;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.model.blocks.HookBlock;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** Small models with weights chosen by hand, so every activation is known in closed form. */
final class TinyModels {

    /** fc weights: logits = W * flatten(x) + b, then relu-free. */
    static final float[][] W = {{1, -2, 0.5f, 3}, {-1, 0, 2, 1}, {0.25f, 0.25f, 0.25f, 0.25f}};
    static final float[] B = {0.1f, -0.2f, 0.3f};

    private TinyModels() {
    }

    /**
     * Input [N,1,2,2] -> hook "input" (conv) -> flatten -> hook "flat" (vector) -> Linear(3) -> hook
     * "fc" (logits) -> relu -> hook "relu" (vector).
     */
    static BlockModel linear() {
        NDManager m = LoupeEngine.get().newBaseManager();
        Linear fc = Linear.builder().setUnits(3).build();
        SequentialBlock net = new SequentialBlock()
                .add(new HookBlock("input", HookKind.CONV_CHANNELS))
                .add(Blocks.batchFlattenBlock())
                .add(new HookBlock("flat", HookKind.VECTOR))
                .add(fc)
                .add(new HookBlock("fc", HookKind.LOGITS))
                .add(Activation.reluBlock())
                .add(new HookBlock("relu", HookKind.VECTOR));
        net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 2, 2));
        float[] w = new float[12];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(W[i], 0, w, i * 4, 4);
        }
        fc.getParameters().get("weight").getArray().set(w);
        fc.getParameters().get("bias").getArray().set(B);
        InputSpec spec = new InputSpec(1, 2, 2, Normalization.identity(1));
        return new BlockModel(new ModelInfo("tiny-linear", "Tiny linear", "test", "0", "test", -1), spec,
                List.of("a", "b", "c"), net, m);
    }

    /** Two inputs of {@link #linear()}, flattened. */
    static final float[] X0 = {1, 2, -1, 0.5f};
    static final float[] X1 = {-3, 0, 4, 1};

    /** The batch {@code [X0, X1]} as {@code [2, 1, 2, 2]}. */
    static NDArray batch(NDManager m) {
        return m.create(concat(X0, X1), new Shape(2, 1, 2, 2));
    }

    /** {@code a} followed by {@code b}. */
    static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The logits of {@link #linear()} for one flattened input, computed by hand. */
    static float[] logits(float[] x) {
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = B[i];
            for (int j = 0; j < 4; j++) {
                out[i] += W[i][j] * x[j];
            }
        }
        return out;
    }
}

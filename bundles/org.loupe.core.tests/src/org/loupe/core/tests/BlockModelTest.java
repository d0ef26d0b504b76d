package org.loupe.core.tests;

import static org.loupe.core.tests.TinyModels.X0;
import static org.loupe.core.tests.TinyModels.X1;
import static org.loupe.core.tests.TinyModels.batch;
import static org.loupe.core.tests.TinyModels.concat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.UnknownHookPointException;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Hook points record, intervene and carry gradients; checked against hand-computed values. */
class BlockModelTest extends OnTinyModel {

    @Test
    void hookPointsAreListedInForwardOrderWithShapes() {
        List<HookPoint> points = model.hookPoints();
        assertEquals(List.of("input", "flat", "fc", "relu"), points.stream().map(HookPoint::name).toList());
        assertEquals(new Shape(1, 2, 2), points.get(0).shape());
        assertEquals(new Shape(4), points.get(1).shape());
        assertEquals(HookKind.LOGITS, points.get(2).kind());
        assertEquals(3, points.get(2).units());
        assertEquals(15, model.info().parameterCount());
    }

    @Test
    void cacheRecordsExactActivations() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            ModelOutput out = model.forward(batch(m), Hooks.cache("fc", "relu"));
            float[] l0 = TinyModels.logits(X0);
            float[] l1 = TinyModels.logits(X1);
            assertArrayEquals(concat(l0, l1), out.cache().get("fc").toFloatArray(), 1e-6f);
            assertArrayEquals(concat(relu(l0), relu(l1)), out.output().toFloatArray(), 1e-6f);
            assertFalse(out.cache().contains("flat"));
            assertThrows(IllegalArgumentException.class, () -> out.cache().get("flat"));
        }
    }

    @Test
    void zeroAblationAndPatchingChangeDownstreamActivations() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            // zero input element 1 (unit 1 of "flat"): logits lose W[:,1]*x[1]
            ModelOutput ablated = model.forward(batch(m), Hooks.builder().cache("fc").intervene("flat", Interventions.zero(1)).build());
            float[] x0 = X0.clone();
            x0[1] = 0;
            float[] x1 = X1.clone();
            x1[1] = 0;
            assertArrayEquals(concat(TinyModels.logits(x0), TinyModels.logits(x1)), ablated.cache().get("fc").toFloatArray(), 1e-6f);
            // patch "flat" of the batch with the activations of another batch: logits follow the patch
            NDArray source = m.create(concat(X1, X0), new Shape(2, 4));
            ModelOutput patched = model.forward(batch(m), Hooks.builder().cache("fc").intervene("flat", Interventions.patch(source)).build());
            assertArrayEquals(concat(TinyModels.logits(X1), TinyModels.logits(X0)), patched.cache().get("fc").toFloatArray(), 1e-6f);
            // steering: add 1 to every element of "flat" -> logits + rowsum(W)
            NDArray ones = m.ones(new Shape(1, 4));
            ModelOutput steered = model.forward(batch(m), Hooks.builder().cache("fc").intervene("flat", Interventions.add(ones, 2f)).build());
            float[] expected = TinyModels.logits(new float[] {X0[0] + 2, X0[1] + 2, X0[2] + 2, X0[3] + 2});
            assertArrayEquals(expected, steered.cache().get("fc").get(0).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void gradientsWithRespectToInputAndHookPoints() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray input = m.create(X0, new Shape(1, 1, 2, 2));
            // objective: logit 0 + 2 * logit 1 -> d/dx = W0 + 2 W1; d/dfc = [1, 2, 0]
            Gradients.Result g = Gradients.backward(model, input, Hooks.builder().gradient("fc", "flat").build(),
                    out -> out.cache().get("fc").get(":, 0").sum().add(out.cache().get("fc").get(":, 1").sum().mul(2)));
            float[] expected = new float[4];
            for (int j = 0; j < 4; j++) {
                expected[j] = TinyModels.W[0][j] + 2 * TinyModels.W[1][j];
            }
            assertArrayEquals(expected, g.inputGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(expected, g.output().cache().gradient("flat").toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1, 2, 0}, g.output().cache().gradient("fc").toFloatArray(), 1e-6f);
            assertFalse(input.hasGradient(), "the caller's input is left alone");
            assertTrue(model.block().getParameters().values().stream().noneMatch(p -> p.getArray().hasGradient()),
                    "weights are frozen");
        }
    }

    @Test
    void unknownHookPointSaysWhatExists() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            UnknownHookPointException e = assertThrows(UnknownHookPointException.class,
                    () -> model.forward(batch(m), Hooks.cache("flta")));
            assertTrue(e.getMessage().contains("no hook point 'flta'"), e.getMessage());
            assertTrue(e.getMessage().contains("Did you mean: flat"), e.getMessage());
        }
    }

    @Test
    void wrongInputShapeIsExplained() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(m.zeros(new Shape(1, 3, 2, 2)), Hooks.none()));
            assertTrue(e.getMessage().contains("[N, 1, 2, 2]"), e.getMessage());
        }
    }

    private static float[] relu(float[] a) {
        float[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, out[i]);
        }
        return out;
    }
}

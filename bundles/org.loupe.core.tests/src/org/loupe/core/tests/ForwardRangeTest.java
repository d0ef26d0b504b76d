package org.loupe.core.tests;

import static org.loupe.core.tests.TinyModels.X0;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Passes that stop after a hook point or start at one, on {@link TinyModels#linear()} with hand-computed values. */
class ForwardRangeTest extends OnTinyModel {

    @Test
    void everyHookPointOfASequentialBlockIsResumable() {
        assertEquals(List.of(true, true, true, true), model.hookPoints().stream().map(HookPoint::resumable).toList());
    }

    @Test
    void aPassStoppedAfterAHookPointReturnsItAndComputesNothingBeyond() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            ModelOutput out = model.forward(m.create(X0, new Shape(1, 1, 2, 2)), Hooks.cacheAll(), Range.until("fc"));
            assertArrayEquals(TinyModels.logits(X0), out.output().toFloatArray(), 1e-6f);
            assertEquals(List.of("input", "flat", "fc"), List.copyOf(out.cache().names()));
        }
    }

    @Test
    void aPassStartedAtAHookPointRunsTheRestWithItsHooks() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray flat = m.create(X0, new Shape(1, 4));
            // the given activation enters "flat": its intervention applies, then fc and relu run
            ModelOutput out = model.forward(flat, Hooks.builder().intervene("flat", Interventions.zero(1)).cache("fc").build(),
                    Range.from("flat"));
            float[] x = X0.clone();
            x[1] = 0;
            float[] logits = TinyModels.logits(x);
            assertArrayEquals(logits, out.cache().get("fc").toFloatArray(), 1e-6f);
            float[] relu = logits.clone();
            for (int i = 0; i < relu.length; i++) {
                relu[i] = Math.max(0, relu[i]);
            }
            assertArrayEquals(relu, out.output().toFloatArray(), 1e-6f);
            // from "flat" up to "fc": the logits alone
            ModelOutput middle = model.forward(flat, Hooks.none(), new Range("flat", "fc"));
            assertArrayEquals(TinyModels.logits(X0), middle.output().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void gradientsFlowThroughAResumedPassAndAPassStoppedEarly() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            // d logit_2 / d flat = W[2], with the pass resumed at "flat" from a leaf the caller owns
            NDArray flat = m.create(X0, new Shape(1, 4));
            Gradients.Derivative d = Gradients.of(List.of(flat),
                    () -> model.forward(flat, Hooks.none(), Range.from("flat")).output().get(":, 2").sum());
            assertArrayEquals(TinyModels.W[2], d.gradient(0).toFloatArray(), 1e-6f);
            // d logit_0 / d input = W[0], with the pass stopped after "fc" (relu never runs)
            NDArray x = m.create(X0, new Shape(1, 1, 2, 2));
            Gradients.Derivative e = Gradients.of(List.of(x), () -> model.forward(x, Hooks.none(), Range.until("fc")).output().get(":, 0").sum());
            assertArrayEquals(TinyModels.W[0], e.gradient(0).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void wrongRangesAreExplained() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X0, new Shape(1, 1, 2, 2));
            IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(m.create(X0, new Shape(1, 4)), Hooks.cache("input"), Range.from("flat")));
            assertTrue(before.getMessage().contains("does not reach"), before.getMessage());
            IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(x, Hooks.cache("relu"), Range.until("flat")));
            assertTrue(beyond.getMessage().contains("'relu'") && beyond.getMessage().contains("up to 'flat'"), beyond.getMessage());
            IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(m.create(X0, new Shape(1, 4)), Hooks.none(), new Range("fc", "flat")));
            assertTrue(order.getMessage().contains("comes before its start"), order.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(x, Hooks.none(), Range.from("flat")));
            assertTrue(shape.getMessage().contains("[N, 4]"), shape.getMessage());
        }
    }
}

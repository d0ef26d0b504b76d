package org.loupe.core.tests;

import static org.loupe.core.tests.TinyModels.X0;
import static org.loupe.core.tests.TinyModels.X1;
import static org.loupe.core.tests.TinyModels.batch;
import static org.loupe.core.tests.TinyModels.concat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.Sites;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Interventions against hand-computed logits of {@link TinyModels#linear()} ({@code logits = W x + b}
 * on the flattened 2x2 input): replace, scale, per-row sites, positions, several composed at one
 * hook point in order; and a loop of 1,000 intervened passes that must not grow the reference's or
 * the model's managers.
 */
class InterventionsTest extends OnTinyModel {

    private static float[] fc(NDManager m, Hooks.Builder hooks) {
        return model.forward(batch(m), hooks.cache("fc").build()).cache().get("fc").toFloatArray();
    }

    private static float[] logits(float[] x0, float[] x1) {
        return concat(TinyModels.logits(x0), TinyModels.logits(x1));
    }

    @Test
    void replaceByAnUnbatchedReferenceAtTheGivenUnits() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray mean = m.create(new float[] {10, 20, 30, 40});
            float[] got = fc(m, Hooks.builder().intervene("flat", Interventions.replace(mean, 0, 3)));
            assertArrayEquals(logits(new float[] {10, 2, -1, 40}, new float[] {10, 0, 4, 40}), got, 1e-5f);
        }
    }

    @Test
    void replaceByABatchedReferenceResamplesPerRow() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray other = m.create(new float[] {7, 7, 7, 7, 8, 8, 8, 8}, new Shape(2, 4));
            float[] got = fc(m, Hooks.builder().intervene("flat", Interventions.replace(other, 2)));
            assertArrayEquals(logits(new float[] {1, 2, 7, 0.5f}, new float[] {-3, 0, 8, 1}), got, 1e-5f);
        }
    }

    @Test
    void scaleMultipliesOnlyTheGivenUnits() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            float[] got = fc(m, Hooks.builder().intervene("flat", Interventions.scale(-2f, 1, 2)));
            assertArrayEquals(logits(new float[] {1, -4, 2, 0.5f}, new float[] {-3, 0, -8, 1}), got, 1e-5f);
        }
    }

    @Test
    void interventionsAtOneHookPointComposeInOrder() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            // zero unit 0, then add 1 everywhere, then scale unit 0 by 5: unit 0 becomes 5, the rest x + 1
            NDArray ones = m.ones(new Shape(4));
            float[] got = fc(m, Hooks.builder().intervene("flat", Interventions.zero(0)).intervene("flat", Interventions.add(ones, 1f))
                    .intervene("flat", Interventions.scale(5f, 0)));
            assertArrayEquals(logits(new float[] {5, 3, 0, 1.5f}, new float[] {5, 1, 5, 2}), got, 1e-5f);
        }
    }

    @Test
    void perRowSitesAblateADifferentUnitInEachRow() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            float[] got = fc(m, Hooks.builder().intervene("flat", Interventions.zero(Sites.unitPerRow(3, 0))));
            assertArrayEquals(logits(new float[] {1, 2, -1, 0}, new float[] {0, 0, 4, 1}), got, 1e-5f);
            float[] rows = fc(m, Hooks.builder().intervene("flat", Interventions.zero(Sites.perRow(Sites.units(1, 2), Sites.units()))));
            assertArrayEquals(logits(new float[] {1, 0, 0, 0.5f}, X1), rows, 1e-5f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fc(m, Hooks.builder().intervene("flat", Interventions.zero(Sites.unitPerRow(1, 2, 3)))));
            assertTrue(e.getMessage().contains("3 rows") && e.getMessage().contains("has 2"), e.getMessage());
        }
    }

    @Test
    void positionsAndRegionsOfAConvMapArePatchedFromASource() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            // "input" is [1, 2, 2]: position (0, 1) is flat index 1, region rows 1..2 is flat 2 and 3
            NDArray source = m.create(new float[] {9, 9, 9, 9}, new Shape(1, 1, 2, 2));
            float[] pos = fc(m, Hooks.builder().intervene("input", Interventions.patch(source, Sites.position(0, 1))));
            assertArrayEquals(logits(new float[] {1, 9, -1, 0.5f}, new float[] {-3, 9, 4, 1}), pos, 1e-5f);
            float[] region = fc(m, Hooks.builder().intervene("input", Interventions.patch(source, Sites.region(1, 2, 0, 2))));
            assertArrayEquals(logits(new float[] {1, 2, 9, 9}, new float[] {-3, 0, 9, 9}), region, 1e-5f);
            float[] neuron = fc(m, Hooks.builder().intervene("input", Interventions.zero(Sites.neuron(0, 1, 0))));
            assertArrayEquals(logits(new float[] {1, 2, 0, 0.5f}, new float[] {-3, 0, 0, 1}), neuron, 1e-5f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fc(m, Hooks.builder().intervene("flat", Interventions.zero(Sites.position(0, 0)))));
            assertTrue(e.getMessage().contains("conv hook points"), e.getMessage());
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                    () -> fc(m, Hooks.builder().intervene("input", Interventions.zero(Sites.position(2, 0)))));
            assertTrue(out.getMessage().contains("outside"), out.getMessage());
        }
    }

    @Test
    void aReferenceOfTheWrongShapeIsExplained() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray wrong = m.create(new float[] {1, 2, 3});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fc(m, Hooks.builder().intervene("flat", Interventions.replace(wrong, 0))));
            assertTrue(e.getMessage().contains("does not fit flat"), e.getMessage());
        }
    }

    /** 1,000 passes, each with replace, scale, add and per-row sites: no array is left in the reference's or the model's manager. */
    @Test
    void aThousandInterventionsFreeTheirTemporaries() {
        try (NDManager refs = LoupeEngine.get().newBaseManager(); NDManager passes = LoupeEngine.get().newBaseManager()) {
            NDArray mean = refs.create(new float[] {10, 20, 30, 40});
            NDArray direction = refs.ones(new Shape(4));
            int refArrays = refs.getManagedArrays().size();
            int modelArrays = model.residentArrays();
            Hooks hooks = Hooks.builder().intervene("flat", Interventions.replace(mean, 0, 3)).intervene("flat", Interventions.scale(2f, 1))
                    .intervene("flat", Interventions.add(direction, 0.5f, Sites.units(2))).intervene("fc", Interventions.zero(Sites.unitPerRow(0, 1)))
                    .build();
            float[] first = null;
            for (int i = 0; i < 1000; i++) {
                try (NDManager pass = passes.newSubManager()) {
                    float[] out = model.forward(batch(pass), hooks).output().toFloatArray();
                    if (first == null) {
                        first = out;
                    }
                    assertArrayEquals(first, out, 0f);
                }
            }
            assertEquals(refArrays, refs.getManagedArrays().size(), "arrays left in the reference's manager");
            assertEquals(modelArrays, model.residentArrays(), "arrays left in the model's manager");
            assertEquals(0, passes.getManagedArrays().size(), "arrays left by the passes");
        }
    }
}

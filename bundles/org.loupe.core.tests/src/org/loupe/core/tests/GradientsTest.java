package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.TensorOps;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Gradients of functions of the caller's own leaf tensors, checked in closed form and by finite differences. */
class GradientsTest {

    private static final float[] X = {0.5f, -1f, 2f, 3f};
    private static final float[] W = {1f, 2f, -0.5f, 0.25f};

    @Test
    void derivativeOfAWeightedSumOfSquaresIsTwoWX() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X);
            NDArray w = m.create(W);
            Gradients.Derivative d = Gradients.of(List.of(x), () -> w.mul(x.square()).sum());
            float[] expected = new float[4];
            float value = 0;
            for (int i = 0; i < 4; i++) {
                expected[i] = 2 * W[i] * X[i];
                value += W[i] * X[i] * X[i];
            }
            assertEquals(value, d.value().getFloat(), 1e-6f);
            assertArrayEquals(expected, d.gradient(0).toFloatArray(), 1e-6f);
            assertArrayEquals(X, x.toFloatArray(), "the leaf is the caller's array, unchanged");
        }
    }

    @Test
    void twoLeavesGetTheirOwnGradients() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X);
            NDArray w = m.create(W);
            Gradients.Derivative d = Gradients.of(List.of(x, w), () -> w.mul(x.square()).sum());
            float[] dw = new float[4];
            for (int i = 0; i < 4; i++) {
                dw[i] = X[i] * X[i];
            }
            assertEquals(2, d.gradients().size());
            assertArrayEquals(dw, d.gradient(1).toFloatArray(), 1e-6f);
            assertEquals(2 * W[2] * X[2], d.gradient(0).getFloat(2), 1e-6f);
        }
    }

    /** The same leaves differentiated again: stale gradients are cleared, earlier results are left alone. */
    @Test
    void repeatedCallsDoNotAccumulate() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X);
            Gradients.Derivative first = Gradients.of(List.of(x), () -> x.square().sum());
            Gradients.Derivative second = Gradients.of(List.of(x), () -> x.mul(3).sum());
            assertArrayEquals(new float[] {1, -2, 4, 6}, first.gradient(0).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {3, 3, 3, 3}, second.gradient(0).toFloatArray(), 1e-6f);
        }
    }

    /** A call inside the function of another runs in the same scope: DJL's one collector is not opened twice. */
    @Test
    void nestedCallsWork() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X);
            NDArray y = m.create(W);
            NDArray[] inner = new NDArray[1];
            Gradients.Derivative outer = Gradients.of(List.of(x), () -> {
                inner[0] = Gradients.of(List.of(y), () -> y.square().sum()).gradient(0);
                return x.mul(x).mul(x).sum();
            });
            assertArrayEquals(new float[] {2, 4, -1, 0.5f}, inner[0].toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.75f, 3, 12, 27}, outer.gradient(0).toFloatArray(), 1e-5f);
            // and through the engine directly
            float v = LoupeEngine.gradients(a -> LoupeEngine.gradients(b -> {
                assertTrue(a == b, "the nested scope is the outer one");
                return Gradients.of(List.of(x), () -> x.sum()).gradient(0).sum().getFloat();
            }));
            assertEquals(4f, v, 1e-6f);
        }
    }

    /** Another thread waits until the open scope is closed, then differentiates. */
    @Test
    void otherThreadsTakeTurns() throws Exception {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X);
            x.setRequiresGradient(true);
            CountDownLatch inside = new CountDownLatch(1);
            CompletableFuture<float[]> other = new CompletableFuture<>();
            LoupeEngine.gradients(scope -> {
                CompletableFuture.runAsync(() -> {
                    inside.countDown();
                    try (NDManager n = LoupeEngine.get().newBaseManager()) {
                        NDArray z = n.create(W);
                        other.complete(Gradients.of(List.of(z), () -> z.square().sum()).gradient(0).toFloatArray());
                    }
                });
                try {
                    assertTrue(inside.await(10, TimeUnit.SECONDS));
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                assertFalse(other.isDone(), "the other thread waits for the open scope");
                scope.backward(x.square().sum());
                return null;
            });
            assertArrayEquals(new float[] {1, -2, 4, 6}, x.getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2, 4, -1, 0.5f}, other.get(30, TimeUnit.SECONDS), 1e-6f);
        }
    }

    @Test
    void badFunctionsAreRefusedWithTheReason() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(X);
            NDArray unused = m.create(W);
            IllegalArgumentException notScalar = assertThrows(IllegalArgumentException.class, () -> Gradients.of(List.of(x), () -> x.mul(2)));
            assertTrue(notScalar.getMessage().contains("must return a scalar (one value), got shape (4)"), notScalar.getMessage());
            IllegalArgumentException apart = assertThrows(IllegalArgumentException.class,
                    () -> Gradients.of(List.of(x, unused), () -> x.sum()));
            assertTrue(apart.getMessage().contains("leaf 1 (shape (4)) does not take part"), apart.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Gradients.of(List.of(), () -> x.sum()));
        }
    }

    /**
     * A pipeline as an input optimisation has it: parameters -> sigmoid -> normalisation -> model ->
     * objective. Closed form: d/dp = sigmoid'(p) * scale / std * (W0 + 2 W1), checked also by
     * central finite differences of the same pipeline.
     */
    @Test
    void chainThroughNormalisationAndAModel() {
        Normalization norm = new Normalization(2f, new float[] {0.5f}, new float[] {0.25f});
        try (BlockModel model = TinyModels.linear(); NDManager m = LoupeEngine.get().newBaseManager()) {
            float[] p0 = {0.3f, -0.7f, 1.2f, 0.1f};
            NDArray params = m.create(p0, new Shape(1, 1, 2, 2));
            java.util.function.Function<NDArray, NDArray> pipeline = p -> {
                NDArray fc = model.forward(TensorOps.normalise(ai.djl.nn.Activation.sigmoid(p), norm), Hooks.cache("fc")).cache().get("fc");
                return fc.get(":, 0").sum().add(fc.get(":, 1").sum().mul(2));
            };
            Gradients.Derivative d = Gradients.of(List.of(params), () -> pipeline.apply(params));
            float[] g = d.gradient(0).toFloatArray();
            double eps = 1e-2;
            for (int j = 0; j < 4; j++) {
                double s = 1 / (1 + Math.exp(-p0[j]));
                double closed = s * (1 - s) * 2 / 0.25 * (TinyModels.W[0][j] + 2 * TinyModels.W[1][j]);
                assertEquals(closed, g[j], 1e-5 * Math.max(1, Math.abs(closed)), "closed form, pixel " + j);
                float[] plus = p0.clone();
                float[] minus = p0.clone();
                plus[j] += (float) eps;
                minus[j] -= (float) eps;
                double fd = (pipeline.apply(m.create(plus, new Shape(1, 1, 2, 2))).getFloat()
                        - pipeline.apply(m.create(minus, new Shape(1, 1, 2, 2))).getFloat()) / (2 * eps);
                assertEquals(fd, g[j], 2e-3 * Math.max(1, Math.abs(fd)), "finite difference, pixel " + j);
            }
        }
    }
}

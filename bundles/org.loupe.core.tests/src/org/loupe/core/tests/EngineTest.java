package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.loupe.djl.LoupeEngine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** The PyTorch engine starts offline inside OSGi, on a worker thread, and computes and differentiates. */
class EngineTest {

    @Test
    void startsPyTorchOnAWorkerThreadWithNativesInTheUserCache() throws Exception {
        Engine e = CompletableFuture.supplyAsync(LoupeEngine::get).get();
        assertEquals("PyTorch", e.getEngineName());
        assertEquals("2.7.1", e.getVersion());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertTrue(LoupeEngine.isStarted());
        assertTrue(java.nio.file.Files.isDirectory(LoupeEngine.cacheDir()), "natives unpacked to " + LoupeEngine.cacheDir());
    }

    @Test
    void matrixProductMatchesClosedForm() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = m.create(new float[] {5, 6, 7, 8}, new Shape(2, 2));
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void autogradOfAMatrixExpression() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(new float[] {0.5f, -1f, 3f, 2f}, new Shape(2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = LoupeEngine.get().newGradientCollector()) {
                gc.backward(x.matMul(x).sum());
            }
            // L = sum_ij (XX)_ij ; dL/dX_ab = rowsum(X)_b + colsum(X)_a
            float[] rowsum = {-0.5f, 5f};
            float[] colsum = {3.5f, 1f};
            float[] expected = {colsum[0] + rowsum[0], colsum[0] + rowsum[1], colsum[1] + rowsum[0], colsum[1] + rowsum[1]};
            assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-5f);
        }
    }
}

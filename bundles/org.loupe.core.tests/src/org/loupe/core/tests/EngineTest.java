package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.loupe.djl.Convolutions;
import org.loupe.djl.LoupeEngine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
            LoupeEngine.gradients(scope -> {
                scope.backward(x.matMul(x).sum());
                return null;
            });
            // L = sum_ij (XX)_ij ; dL/dX_ab = rowsum(X)_b + colsum(X)_a
            float[] rowsum = {-0.5f, 5f};
            float[] colsum = {3.5f, 1f};
            float[] expected = {colsum[0] + rowsum[0], colsum[0] + rowsum[1], colsum[1] + rowsum[0], colsum[1] + rowsum[1]};
            assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-5f);
        }
    }

    /**
     * Regression: libtorch 2.7.1's oneDNN convolution backward returns wrong input gradients for
     * dense convolutions whose output channels are not a multiple of 16 on AVX2/AVX-512 machines;
     * Loupe's convolutions (padded to exact shapes) must give the exact answer with oneDNN on. For
     * sum(conv3x3(x, w)) the gradient at an interior pixel is the sum of all kernel weights over
     * the output channels.
     */
    /**
     * A thread that hands its work to another ends its OpenMP workers (so that the other thread's
     * workers can spin); it can still compute afterwards, with a new pool, and gets the same values.
     */
    @Test
    void aThreadEndsItsOpenMpWorkersAndStillComputes() throws Exception {
        LoupeEngine.get();
        CompletableFuture<float[][]> sums = CompletableFuture.supplyAsync(() -> {
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                // large enough for libtorch to run it on its worker threads
                NDArray ones = m.ones(new Shape(512, 512));
                float[] before = ones.matMul(ones).sum(new int[] {0}).toFloatArray();
                boolean released = LoupeEngine.releaseThreadPool();
                float[] after = ones.matMul(ones).sum(new int[] {0}).toFloatArray();
                return new float[][] {before, after, {released ? 1 : 0}};
            }
        });
        float[][] r = sums.get();
        assertEquals(1f, r[2][0], "libtorch's libgomp (omp_pause_resource_all) was not found");
        assertEquals(512f * 512f, r[0][7]);
        assertArrayEquals(r[0], r[1]);
    }

    @Test
    void convolutionInputGradientIsExact() {
        assertTrue(LoupeEngine.guardsBackward(), "libtorch's oneDNN switch was not found");
        int[][] cases = {{4, 2, 5}, {1, 2, 5}, {4, 2, 8}, {16, 2, 20}, {3, 5, 7}};
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            for (int[] c : cases) {
                int cout = c[0];
                int batch = c[1];
                int size = c[2];
                float[] w = new float[cout * 9];
                for (int i = 0; i < w.length; i++) {
                    w[i] = i % 9 + 1;
                }
                NDArray weight = m.create(w, new Shape(cout, 1, 3, 3));
                NDArray x = m.randomNormal(new Shape(batch, 1, size, size));
                x.setRequiresGradient(true);
                boolean guarded = LoupeEngine.gradients(scope -> {
                    scope.backward(Convolutions.conv2d(x, weight, null, 1, 0, 1).sum());
                    return scope.avoidsOneDnn();
                });
                assertFalse(guarded, "Loupe's convolutions need no guard");
                float[] g = x.getGradient().toFloatArray();
                for (int b = 0; b < batch; b++) {
                    assertEquals(cout * 45f, g[b * size * size + 2 * size + 2], 1e-3f,
                            "centre gradient, sample " + b + " of conv " + java.util.Arrays.toString(c));
                }
            }
        }
    }
}

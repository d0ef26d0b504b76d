package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.TensorOps;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Scalars;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Gradients through arithmetic with numbers stay exact while the garbage collector runs and the
 * memory it frees is reused: DJL's own {@code x.mul(2)} wraps the number in Java memory that a
 * backward pass reads after it was freed, so under this pressure its gradients turn to garbage.
 */
class ScalarsTest {

    private static final int ROUNDS = 200;

    /** Allocates direct buffers full of NaN bytes and collects garbage until stopped. */
    private static Thread pressure(AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            Deque<ByteBuffer> kept = new ArrayDeque<>();
            int i = 0;
            while (!stop.get()) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + i % 64));
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);
                }
                kept.add(b);
                if (kept.size() > 64) {
                    kept.removeFirst();
                }
                if (++i % 16 == 0) {
                    System.gc();
                }
            }
        }, "garbage pressure");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void productsQuotientsAndPowersDifferentiateExactlyUnderGarbageCollection() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = pressure(stop);
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            for (int round = 0; round < ROUNDS; round++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.create(new float[] {1f, 2f, 4f});
                    // d/dx of sum(3x / 2 + x^2 + max(x, 3) - (1 - x)) = 1.5 + 2x + [x > 3] + 1
                    Gradients.Derivative d = Gradients.of(List.of(x), () -> {
                        NDArray a = Scalars.div(Scalars.mul(x, 3), 2);
                        NDArray b = Scalars.pow(x, 2);
                        NDArray c = Scalars.maximum(x, 3);
                        NDArray e = Scalars.rsub(1, x);
                        return a.add(b).add(c).sub(e).sum();
                    });
                    System.gc();
                    assertArrayEquals(new float[] {4.5f, 6.5f, 11.5f}, d.gradient(0).toFloatArray(), 0f, "round " + round);
                }
            }
        } finally {
            stop.set(true);
            t.join();
        }
    }

    @Test
    void theTensorNormalisationDifferentiatesExactlyUnderGarbageCollection() throws Exception {
        Normalization n = new Normalization(1 / 255f, new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 2f});
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = pressure(stop);
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            for (int round = 0; round < ROUNDS; round++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.ones(new Shape(1, 3, 2, 2));
                    Gradients.Derivative d = Gradients.of(List.of(x), () -> TensorOps.normalise(x, n).sum());
                    System.gc();
                    float[] g = d.gradient(0).toFloatArray();
                    for (int c = 0; c < 3; c++) {
                        for (int i = 0; i < 4; i++) {
                            assertEquals(1 / 255f / n.std()[c], g[c * 4 + i], 1e-9f, "round " + round + ", channel " + c);
                        }
                    }
                }
            }
        } finally {
            stop.set(true);
            t.join();
        }
    }
}

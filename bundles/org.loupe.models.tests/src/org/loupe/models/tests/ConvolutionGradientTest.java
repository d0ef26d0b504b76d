package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.testing.Close.assertClose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.djl.Convolutions;
import org.loupe.djl.GradientScope;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Input gradients of convolutions against PyTorch (float64, oracle/conv_grad.py), with libtorch
 * 2.7.1's oneDNN kernels on where they are exact and off where they are not. oneDNN's
 * backward-data kernels are wrong (by 10-70 % of the gradient's scale, or NaN, varying between
 * calls) for dense convolutions with a kernel larger than 1x1 and a number of output channels that
 * is not a multiple of 16, and crash the process (SIGFPE) for some strided 1x1 convolutions:
 * through {@link Convolutions} such convolutions are computed by kernels that work; computed by
 * DJL's {@code Conv2d} directly they need the scope's guard. Each case runs three times, because
 * the wrong results change between calls.
 */
class ConvolutionGradientTest {

    static final double TOL = 1e-4;
    static final int REPEATS = 3;

    /** What oneDNN's backward does with a case's shape. */
    enum Kind {
        EXACT, WRONG, CRASH, PATCHES
    }

    /** One oracle case: the convolution, its tensors and PyTorch's input gradient. */
    record Case(int[] spec, Kind kind, float[] x, float[] w, float[] g, float[] grad) {
        boolean needsCare() {
            return kind == Kind.WRONG || kind == Kind.CRASH;
        }

        Shape xShape() {
            return new Shape(spec[0], spec[1], spec[3], spec[3]);
        }

        Shape wShape() {
            return new Shape(spec[2], spec[1] / spec[8], spec[4], spec[4]);
        }

        int stride() {
            return spec[5];
        }

        int padding() {
            return spec[6];
        }

        int dilation() {
            return spec[7];
        }

        int groups() {
            return spec[8];
        }

        String name() {
            return String.format("batch %d, %d -> %d channels, %dx%d, kernel %d, stride %d, padding %d, dilation %d, groups %d",
                    spec[0], spec[1], spec[2], spec[3], spec[3], spec[4], spec[5], spec[6], spec[7], spec[8]);
        }
    }

    static List<Case> cases;

    @BeforeAll
    static void generate() throws Exception {
        Path dir = Oracle.work("conv-grad");
        Oracle.run(dir.resolve("conv_grad_ref.npz"), "conv_grad.py", dir.toString());
        Map<String, Tensor> ref = Oracle.refs(dir.resolve("conv_grad_ref.npz"));
        cases = new ArrayList<>();
        int n = (int) ref.get("cases").toFloats()[0];
        for (int i = 0; i < n; i++) {
            float[] s = ref.get("c" + i + "_spec").toFloats();
            int[] spec = new int[9];
            for (int k = 0; k < 9; k++) {
                spec[k] = (int) s[k];
            }
            cases.add(new Case(spec, Kind.values()[(int) s[9]], ref.get("c" + i + "_x").toFloats(), ref.get("c" + i + "_w").toFloats(),
                    ref.get("c" + i + "_g").toFloats(), ref.get("c" + i + "_grad").toFloats()));
        }
    }

    @Test
    void theRulesNameTheShapesOneDnnGetsWrongOrCrashesOn() {
        for (Case c : cases) {
            assertEquals(c.kind() == Kind.WRONG, Convolutions.wrongBackwardWithOneDnn(c.wShape(), c.groups()), c.name());
            assertEquals(c.kind() == Kind.CRASH, Convolutions.mayCrashBackwardWithOneDnnIfStrided(c.wShape()), c.name());
        }
        assertEquals(List.of(6L, 3L, 6L, 3L), List.of(count(Kind.WRONG), count(Kind.CRASH), count(Kind.EXACT), count(Kind.PATCHES)));
    }

    private static long count(Kind kind) {
        return cases.stream().filter(c -> c.kind() == kind).count();
    }

    /** Shapes that oneDNN gets right: DJL's own convolution, no guard, exact. */
    @Test
    void exactShapesNeedNoGuard() {
        for (Case c : cases) {
            if (c.kind() == Kind.EXACT) {
                check(c, false, false);
            }
        }
    }

    /** Shapes that oneDNN gets wrong or crashes on, computed by DJL's convolution directly: exact with the guard. */
    @Test
    void wrongShapesAreExactWithTheGuard() {
        for (Case c : cases) {
            if (c.needsCare()) {
                check(c, true, false);
            }
        }
    }

    /**
     * Shapes that oneDNN gets wrong or crashes on, computed through Convolutions (padded, or
     * subsampled before a stride-1 1x1 convolution): exact without the guard, and the process lives.
     */
    @Test
    void wrongShapesAreExactThroughConvolutionsWithoutTheGuard() {
        for (Case c : cases) {
            if (c.needsCare() && c.dilation() == 1) {
                check(c, false, true);
            }
        }
    }

    /**
     * Patch embeddings (kernel == stride, the image cropped to whole patches where it does not
     * divide): computed by Convolutions as a matrix product, exact without the guard.
     */
    @Test
    void patchEmbeddingsAreExactThroughConvolutions() {
        for (Case c : cases) {
            if (c.kind() == Kind.PATCHES) {
                check(c, false, true);
            }
        }
    }

    private static void check(Case c, boolean guard, boolean throughConvolutions) {
        assertTrue(LoupeEngine.guardsBackward(), "libtorch's oneDNN switch was not found");
        String how = guard ? "guarded" : throughConvolutions ? "through Convolutions" : "oneDNN";
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray w = m.create(c.w(), c.wShape());
            for (int r = 0; r < REPEATS; r++) {
                NDArray x = m.create(c.x(), c.xShape());
                x.setRequiresGradient(true);
                boolean avoided = LoupeEngine.gradients(scope -> {
                    if (guard) {
                        scope.requireExactConvolutionBackward();
                    }
                    NDArray y = throughConvolutions ? Convolutions.conv2d(x, w, null, c.stride(), c.padding(), c.groups())
                            : Conv2d.conv2d(x, w, null, new Shape(c.stride(), c.stride()), new Shape(c.padding(), c.padding()),
                                    new Shape(c.dilation(), c.dilation()), c.groups()).singletonOrThrow();
                    scope.backward(y.mul(m.create(c.g(), y.getShape())).sum());
                    return scope.avoidsOneDnn();
                });
                assertEquals(guard, avoided, "oneDNN switched off (" + how + "): " + c.name());
                assertClose(c.grad(), x.getGradient().toFloatArray(), TOL, "input gradient, " + how + ", pass " + r + ": " + c.name());
            }
        }
        boolean fresh = LoupeEngine.gradients(GradientScope::avoidsOneDnn);
        assertFalse(fresh, "a fresh scope keeps oneDNN");
    }
}

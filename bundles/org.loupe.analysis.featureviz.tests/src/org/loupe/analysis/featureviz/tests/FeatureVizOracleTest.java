package org.loupe.analysis.featureviz.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.testing.Close.assertClose;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.analysis.featureviz.Activations;
import org.loupe.analysis.featureviz.Adam;
import org.loupe.analysis.featureviz.FourierImage;
import org.loupe.analysis.featureviz.ImageParam;
import org.loupe.analysis.featureviz.MacoImage;
import org.loupe.analysis.featureviz.Objective;
import org.loupe.analysis.featureviz.Objectives;
import org.loupe.analysis.featureviz.PixelImage;
import org.loupe.analysis.featureviz.Recipe;
import org.loupe.analysis.featureviz.SilhouetteImage;
import org.loupe.analysis.featureviz.Spectrum;
import org.loupe.analysis.featureviz.Transform;
import org.loupe.analysis.featureviz.Transforms;
import org.loupe.analysis.featureviz.ValidRgb;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.TensorOps;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.djl.LoupeEngine;
import org.loupe.djl.Resampling;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The parameterisations, transforms, objectives and optimiser against PyTorch with Lucent's
 * formulas (oracle/featureviz.py): the same inputs, values and gradients within 1e-5.
 */
class FeatureVizOracleTest {

    static final double TOL = 1e-5;

    static Map<String, Tensor> ref;

    @BeforeAll
    static void generate() throws Exception {
        Path dir = Oracle.work("featureviz");
        Oracle.run(dir.resolve("featureviz_ref.npz"), "featureviz.py", dir.toString());
        ref = Oracle.refs(dir.resolve("featureviz_ref.npz"));
    }

    static float[] f(String name) {
        Tensor t = ref.get(name);
        if (t == null) {
            throw new AssertionError("the oracle wrote no " + name);
        }
        return t.toFloats();
    }

    static NDArray array(NDManager m, String name) {
        return m.create(f(name), new Shape(ref.get(name).shape()));
    }

    /** Checks {@code fn(leaf)} and the gradient of {@code sum(fn(leaf) * g)} against the oracle. */
    static void check(NDManager m, List<NDArray> leaves, java.util.function.Supplier<NDArray> fn, String out, String g, List<String> grads) {
        NDArray[] y = new NDArray[1];
        NDArray gw = array(m, g);
        Gradients.Derivative d = Gradients.of(leaves, () -> {
            y[0] = fn.get();
            return y[0].mul(gw).sum();
        });
        assertClose(f(out), y[0].toFloatArray(), TOL, out);
        for (int i = 0; i < grads.size(); i++) {
            assertClose(f(grads.get(i)), d.gradient(i).toFloatArray(), TOL, grads.get(i));
        }
    }

    @Test
    void fourierImageIsLucentsFftImage() {
        for (String tag : List.of("even", "odd")) {
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                float[] s = f("fft_" + tag + "_shape");
                int h = (int) s[2];
                int w = (int) s[3];
                assertClose(f("fft_" + tag + "_scale"), FourierImage.scales(h, w, 1), TOL, "frequency scale " + tag);
                NDArray re = array(m, "fft_" + tag + "_re");
                NDArray im = array(m, "fft_" + tag + "_im");
                FourierImage img = new FourierImage(re, im, w, 1);
                check(m, img.leaves(), img::render, "fft_" + tag + "_image", "fft_" + tag + "_g",
                        List.of("fft_" + tag + "_grad_re", "fft_" + tag + "_grad_im"));
                double[][] spec = Spectrum.forward(f("rfft_" + tag + "_x"), h, w);
                assertClose(f("rfft_" + tag + "_re"), floats(spec[0]), TOL, "rfft real " + tag);
                assertClose(f("rfft_" + tag + "_im"), floats(spec[1]), TOL, "rfft imaginary " + tag);
            }
        }
    }

    @Test
    void fourierImageOfAnImageRendersThatImage() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            float[] x = f("rgb_x"); // [2, 3, 5, 7]
            FourierImage img = FourierImage.of(m, x, 2, 3, 5, 7);
            assertClose(x, img.render().toFloatArray(), TOL, "inverse of the forward spectrum");
        }
    }

    @Test
    void validRgbIsLucentsDecorrelatedSigmoid() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            ImageParam rgb = new ValidRgb(new PixelImage(array(m, "rgb_x")), true);
            check(m, rgb.leaves(), rgb::render, "rgb_y", "rgb_g", List.of("rgb_grad"));
        }
    }

    @Test
    void transformsAreLucentsWithFixedDraws() {
        List<Function<NDArray, NDArray>> cases = List.of(x -> Transforms.shift(x, 3, 5), x -> Transforms.shift(x, 0, 7),
                x -> Transforms.scale(x, 0.9), x -> Transforms.scale(x, 0.94), x -> Transforms.scale(x, 1.06), x -> Transforms.scale(x, 1.1),
                x -> Transforms.rotate(x, -10), x -> Transforms.rotate(x, 3), x -> Transforms.rotate(x, 7),
                x -> TensorOps.pad(x, 12, 12, 12, 12, 0.5f), x -> Resampling.bilinearAligned(x, 31, 29));
        if (cases.size() != (int) f("t_cases")[0]) {
            throw new AssertionError("the oracle has " + f("t_cases")[0] + " transform cases, the test " + cases.size());
        }
        for (int i = 0; i < cases.size(); i++) {
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                NDArray x = array(m, "t_image");
                Function<NDArray, NDArray> t = cases.get(i);
                check(m, List.of(x), () -> t.apply(x), "t" + i + "_y", "t" + i + "_g", List.of("t" + i + "_grad"));
            }
        }
    }

    /**
     * Resampling runs libtorch's kernels (the transforms above check them against PyTorch: the
     * scales and the resize through the aligned resize, the rotations through sampling at given
     * positions). Their fallbacks equal the same: the matrix-product resize equals the oracle's
     * resize, and the gather sampler equals the kernel's sampling at positions in and around the
     * image, values and gradients. The kernels and the fallbacks differ in the last bits, so the
     * kernels are the ones in use.
     */
    @Test
    void resamplingRunsTheKernelsAndTheirFallbacksAgree() {
        int resize = (int) f("t_cases")[0] - 1;
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = array(m, "t_image");
            check(m, List.of(x), () -> Resampling.bilinearAlignedByProducts(x, 31, 29), "t" + resize + "_y", "t" + resize + "_g",
                    List.of("t" + resize + "_grad"));
            float[] kernel = Resampling.bilinearAligned(x, 31, 29).toFloatArray();
            float[] products = Resampling.bilinearAlignedByProducts(x, 31, 29).toFloatArray();
            assertFalse(Arrays.equals(kernel, products), "the aligned resize did not run libtorch's kernel");
            assertClose(products, kernel, TOL, "resize: kernel against matrix products");

            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            Random random = new Random(3);
            int outH = 7;
            int outW = 9;
            double[] ys = new double[outH * outW];
            double[] xs = new double[outH * outW];
            for (int i = 0; i < ys.length; i++) {
                ys[i] = -2 + random.nextDouble() * (h + 3);
                xs[i] = -2 + random.nextDouble() * (w + 3);
            }
            float[] weights = new float[(int) (x.getShape().get(0) * x.getShape().get(1)) * outH * outW];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextGaussian();
            }
            float[][] got = new float[2][];
            float[][] grads = new float[2][];
            for (int k = 0; k < 2; k++) {
                boolean byKernel = k == 0;
                NDArray leaf = x.duplicate();
                Gradients.Derivative d = Gradients.of(List.of(leaf), () -> {
                    NDArray ya = m.create(ys).duplicate();
                    NDArray xa = m.create(xs).duplicate();
                    NDArray y = byKernel ? Resampling.bilinearAt(leaf, ya, xa, outH, outW) : Resampling.bilinearAtByGather(leaf, ya, xa, outH, outW);
                    got[byKernel ? 0 : 1] = y.toFloatArray();
                    NDArray r = m.create(weights, y.getShape()).duplicate();
                    return y.mul(r).sum();
                });
                grads[k] = d.gradient(0).toFloatArray();
            }
            assertFalse(Arrays.equals(got[0], got[1]), "sampling did not run libtorch's kernel");
            assertClose(got[1], got[0], TOL, "sampling: kernel against gather");
            assertClose(grads[1], grads[0], TOL, "sampling gradient: kernel against gather");
        }
    }

    @Test
    void objectivesAreLucentsWithTheirGradients() {
        HookPoint p = new HookPoint("layer", HookKind.CONV_CHANNELS, new Shape(4, 5, 5));
        Map<String, Objective> objectives = Map.of("channel", Objectives.channel(p, 2, -1), "channel_row", Objectives.channel(p, 3, 1),
                "neuron", Objectives.neuron(p, 1, -1, -1, -1), "neuron_xy", Objectives.neuron(p, 0, 1, 3, -1),
                "direction", Objectives.direction(p, f("obj_vec"), false, -1), "cosine", Objectives.direction(p, f("obj_vec"), true, -1),
                "diversity", Objectives.diversity(p), "tv", Objectives.totalVariation(), "l2", Objectives.l2(0.5));
        for (var e : objectives.entrySet()) {
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                NDArray act = array(m, "obj_act");
                Activations a = new Activations() {
                    @Override
                    public NDArray layer(String name) {
                        return act;
                    }

                    @Override
                    public NDArray image() {
                        return act;
                    }
                };
                Gradients.Derivative d = Gradients.of(List.of(act), () -> e.getValue().value(a));
                assertClose(f("obj_" + e.getKey()), new float[] {d.value().getFloat()}, TOL, e.getKey());
                assertClose(f("obj_" + e.getKey() + "_grad"), d.gradient(0).toFloatArray(), TOL, e.getKey() + " gradient");
            }
        }
    }

    @Test
    void macoImageIsXpliquesWithLucentsColour() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray phase = array(m, "maco_phase");
            ImageParam maco = new ValidRgb(new MacoImage(phase, f("maco_magnitude"), 12), true);
            check(m, maco.leaves(), maco::render, "maco_image", "maco_g", List.of("maco_grad"));
        }
    }

    @Test
    void silhouetteIsItsFormulaInTorch() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            List<String> names = List.of("a", "b", "r0", "c", "h", "hr", "gate", "fg", "bg");
            List<NDArray> leaves = names.stream().map(n -> array(m, "sil_" + n)).toList();
            SilhouetteImage sil = new SilhouetteImage(leaves.get(0), leaves.get(1), leaves.get(2), leaves.get(3), leaves.get(4), leaves.get(5),
                    leaves.get(6), leaves.get(7), leaves.get(8), 20);
            check(m, sil.leaves(), sil::render, "sil_image", "sil_weights", names.stream().map(n -> "sil_" + n + "_grad").toList());
            Recipe recipe = new Recipe(Recipe.Parameterization.SILHOUETTE, true, Recipe.TransformSet.AUTO, 16, 2, 1);
            assertEquals(Transform.none().getClass(), recipe.transform().getClass(), "a silhouette runs without transforms by default");
            IllegalArgumentException grey = assertThrows(IllegalArgumentException.class, () -> recipe.build(m, 1, new Random(0), null, null));
            assertTrue(grey.getMessage().contains("colour"), grey.getMessage());
            IllegalArgumentException start = assertThrows(IllegalArgumentException.class,
                    () -> recipe.build(m, 3, new Random(0), List.of(new RasterImage(16, 16, new int[256])), null));
            assertTrue(start.getMessage().contains("param=fft"), start.getMessage());
        }
    }

    @Test
    void adamIsTorchs() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray p = array(m, "adam_p0");
            float[] grads = f("adam_grads");
            Adam adam = new Adam(List.of(p), 0.05);
            for (int k = 0; k < 3; k++) {
                float[] g = new float[7];
                System.arraycopy(grads, k * 7, g, 0, 7);
                adam.step(List.of(m.create(g)));
            }
            assertClose(f("adam_p3"), p.toFloatArray(), TOL, "parameters after three steps");
        }
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}

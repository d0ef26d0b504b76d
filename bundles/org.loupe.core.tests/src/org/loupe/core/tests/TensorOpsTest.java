package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.TensorOps;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Resize;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Tensor-side preprocessing: the CPU path's results, closed-form resampling, and gradients that flow. */
class TensorOpsTest {

    private static RasterImage randomImage(int width, int height, long seed) {
        Random r = new Random(seed);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextInt(1 << 24);
        }
        return new RasterImage(width, height, rgb);
    }

    private static NDArray pixels(NDManager m, RasterImage image) {
        return m.create(ImageTensors.planar(image, 3), new Shape(1, 3, image.height(), image.width()));
    }

    /**
     * Images of several sizes and aspect ratios, shrunk, enlarged or only cropped to square and
     * oblong inputs: fit + normalise on the tensor equals ImageTensors.toInput within 1e-5.
     */
    @Test
    void fitAndNormaliseEqualTheCpuPath() {
        // image width, height -> input width, height
        int[][] sizes = {{10, 6, 6, 6}, {6, 11, 6, 6}, {301, 224, 224, 224}, {37, 23, 16, 16}, {300, 200, 224, 224},
            {9, 9, 5, 5}, {50, 80, 224, 224}, {40, 30, 24, 20}, {17, 64, 20, 28}, {8, 8, 8, 8}};
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            for (Normalization norm : List.of(Normalization.IMAGENET, Normalization.LUCID_INCEPTION)) {
                for (int[] s : sizes) {
                    RasterImage image = randomImage(s[0], s[1], s[0] * 1000L + s[1]);
                    InputSpec spec = new InputSpec(3, s[3], s[2], norm);
                    float[] cpu = ImageTensors.toInput(m, List.of(image), spec).toFloatArray();
                    float[] tensor = TensorOps.normalise(TensorOps.fit(pixels(m, image), s[3], s[2]), norm).toFloatArray();
                    String what = s[0] + "x" + s[1] + " to " + s[2] + "x" + s[3] + " with " + norm;
                    assertEquals(cpu.length, tensor.length, what);
                    double scale = norm.scale() == 1f ? 1 : 255;
                    assertArrayEquals(cpu, tensor, (float) (1e-5 * scale), what);
                }
            }
        }
    }

    /** The CPU resize on planar floats is the bilinear resampling Java2D's (8-bit) fit approximates. */
    @Test
    void cpuResizeAgreesWithJava2dWithinItsRounding() {
        RasterImage image = randomImage(37, 23, 5);
        RasterImage fitted = ImageTensors.fit(image, 16, 16);
        float[] j2d = ImageTensors.planar(fitted, 3);
        // 37x23 scaled by 16/23 -> 26x16, cropped at (26 - 16) / 2 = 5
        float[] resized = ImageTensors.resize(ImageTensors.planar(image, 3), 3, 23, 37, 16, 26);
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    assertEquals(resized[(ch * 16 + y) * 26 + 5 + x], j2d[(ch * 16 + y) * 16 + x], 2.5 / 255, "pixel " + ch + ", " + y + ", " + x);
                }
            }
        }
    }

    /** Halving with centre-aligned pixels averages each 2x2 block; a linear ramp is reproduced exactly inside. */
    @Test
    void resizeIsBilinearWithAlignedPixelCentres() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            float[] v = new float[4 * 6];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i * 7919 % 13) / 13f;
            }
            NDArray x = m.create(v, new Shape(1, 1, 4, 6));
            float[] half = TensorOps.resize(x, 2, 3).toFloatArray();
            for (int y = 0; y < 2; y++) {
                for (int c = 0; c < 3; c++) {
                    float mean = (v[2 * y * 6 + 2 * c] + v[2 * y * 6 + 2 * c + 1] + v[(2 * y + 1) * 6 + 2 * c] + v[(2 * y + 1) * 6 + 2 * c + 1]) / 4;
                    assertEquals(mean, half[y * 3 + c], 1e-6f, "block " + y + ", " + c);
                }
            }
            // f(y, x) = 3y - 2x + 1 on 5x7, up to 10x14 (factor 2, samples at (i + 0.5) / 2 - 0.5, clamped at the edges)
            float[] ramp = new float[5 * 7];
            for (int y = 0; y < 5; y++) {
                for (int c = 0; c < 7; c++) {
                    ramp[y * 7 + c] = 3 * y - 2 * c + 1;
                }
            }
            float[] up = TensorOps.resize(m.create(ramp, new Shape(1, 1, 5, 7)), 10, 14).toFloatArray();
            for (int y = 0; y < 10; y++) {
                for (int c = 0; c < 14; c++) {
                    double sy = Math.min(4, Math.max(0, (y + 0.5) / 2 - 0.5));
                    double sx = Math.min(6, Math.max(0, (c + 0.5) / 2 - 0.5));
                    assertEquals(3 * sy - 2 * sx + 1, up[y * 14 + c], 1e-5, "pixel " + y + ", " + c);
                }
            }
        }
    }

    @Test
    void cropAndPadMoveExactPixels() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.arange(2 * 3 * 4 * 5).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(2, 3, 4, 5);
            NDArray c = TensorOps.crop(x, 1, 2, 2, 3);
            assertEquals(new Shape(2, 3, 2, 3), c.getShape());
            assertEquals(1 * 60 + 2 * 20 + 1 * 5 + 2, c.getFloat(1, 2, 0, 0));
            assertEquals(new Shape(2, 3, 2, 2), TensorOps.centreCrop(x, 2, 2).getShape());
            assertEquals(6f, TensorOps.centreCrop(x, 2, 2).getFloat(0, 0, 0, 0), "offsets (4-2)/2 = 1 and (5-2)/2 = 1");
            NDArray p = TensorOps.pad(x, 1, 2, 3, 0, -1f);
            assertEquals(new Shape(2, 3, 7, 8), p.getShape());
            assertEquals(-1f, p.getFloat(0, 0, 0, 0));
            assertEquals(0f, p.getFloat(0, 0, 1, 3));
            assertEquals(19f, p.getFloat(0, 0, 4, 7));
            assertEquals(-1f, p.getFloat(0, 0, 6, 7));
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> TensorOps.crop(x, 3, 0, 2, 2));
            assertTrue(outside.getMessage().contains("does not fit in a 4x5 image"), outside.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TensorOps.resize(m.zeros(new Shape(3, 4, 4)), 2, 2));
        }
    }

    /** Gradients flow through resize, crop, pad and normalise: non-zero and equal to central finite differences. */
    @Test
    void gradientsFlowThroughThePreprocessing() {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            Random r = new Random(3);
            float[] v = new float[3 * 5 * 7];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextFloat();
            }
            float[] weights = new float[3 * 8 * 8];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) r.nextGaussian();
            }
            NDArray w = m.create(weights, new Shape(1, 3, 8, 8));
            java.util.function.Function<NDArray, NDArray> f = x -> TensorOps.pad(
                    TensorOps.normalise(TensorOps.fit(x, 6, 6), Normalization.IMAGENET), 1, 1, 1, 1, 0f).mul(w).square().sum();
            NDArray x = m.create(v, new Shape(1, 3, 5, 7));
            float[] g = Gradients.of(List.of(x), () -> f.apply(x)).gradient(0).toFloatArray();
            double eps = 1e-2;
            int nonZero = 0;
            for (int i = 0; i < v.length; i += 4) {
                float[] plus = v.clone();
                float[] minus = v.clone();
                plus[i] += (float) eps;
                minus[i] -= (float) eps;
                double fd = (f.apply(m.create(plus, new Shape(1, 3, 5, 7))).getFloat() - f.apply(m.create(minus, new Shape(1, 3, 5, 7))).getFloat())
                        / (2 * eps);
                assertEquals(fd, g[i], 1e-2 * Math.max(1, Math.abs(fd)), "element " + i);
                nonZero += g[i] != 0 ? 1 : 0;
            }
            assertTrue(nonZero > 10, "gradients reach the pixels: " + nonZero + " of 27 sampled are non-zero");
        }
    }

    /**
     * PIL's antialiased bilinear weights in closed form: shrinking 4 samples to 2, output 0 is
     * centred at 1.0 and the triangle is stretched to half-width 2, so inputs 0, 1, 2 (centres 0.5,
     * 1.5, 2.5) lie 0.25, 0.25, 0.75 half-widths away and weigh 0.75, 0.75, 0.25, normalised to 3/7,
     * 3/7, 1/7. Enlarging, the weights are bilinear interpolation's.
     */
    @Test
    void antialiasedTapsAreThoseOfPil() {
        ImageTensors.Taps down = ImageTensors.antialiasedTaps(4, 2);
        assertEquals(0, down.first()[0]);
        assertArrayEquals(new float[] {3 / 7f, 3 / 7f, 1 / 7f}, down.weights()[0], 1e-6f);
        assertEquals(1, down.first()[1]);
        assertArrayEquals(new float[] {1 / 7f, 3 / 7f, 3 / 7f}, down.weights()[1], 1e-6f);
        ImageTensors.Taps up = ImageTensors.antialiasedTaps(2, 4);
        // output 1 samples the input at (1 + 0.5) * 2 / 4 - 0.5 = 0.25: 0.75 of input 0, 0.25 of input 1
        assertEquals(0, up.first()[1]);
        assertArrayEquals(new float[] {0.75f, 0.25f}, up.weights()[1], 1e-6f);
        assertArrayEquals(new float[] {1f}, up.weights()[0], 1e-6f, "the edge sample takes the edge pixel only");
    }

    /** A shorter-side resize has torchvision's geometry: the longer side rounded down, the crop offset rounded half to even. */
    @Test
    void shorterSideResizeHasTorchvisionsGeometry() {
        InputSpec spec = new InputSpec(3, 224, 224, Normalization.IMAGENET, Resize.shorterSide(256));
        int[] scaled = ImageTensors.resizedSize(301, 224, spec);
        assertArrayEquals(new int[] {344, 256}, scaled, "int(256 * 301 / 224) = 344");
        assertArrayEquals(new int[] {60, 16}, ImageTensors.cropOffset(scaled, spec));
        assertArrayEquals(new int[] {256, 341}, ImageTensors.resizedSize(300, 400, spec), "int(256 * 400 / 300) = int(341.33)");
        assertArrayEquals(new int[] {58, 16}, ImageTensors.cropOffset(new int[] {341, 256}, spec), "round(58.5) = 58, half to even");
        assertArrayEquals(new int[] {256, 256}, ImageTensors.resizedSize(224, 224, spec), "a 224 image is enlarged to 256 and cropped");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InputSpec(3, 224, 224, Normalization.IMAGENET, Resize.shorterSide(200)));
        assertTrue(e.getMessage().contains("resize to at least 224"), e.getMessage());
    }
}

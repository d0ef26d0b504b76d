package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.TensorOps;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Resize;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Loupe's preprocessing against torchvision's on PIL images (oracle/preprocess.py):
 * {@code Resize(n, antialias=True)} + {@code CenterCrop} and {@code Resize((h, w))}, bilinear and
 * bicubic, on images of several sizes and aspect ratios, shrunk and enlarged, with even and odd
 * crop margins. Loupe
 * resamples in float what Pillow rounds to 8 bits after each of its two passes, so the two agree
 * within what those roundings allow (one 8-bit level, 1/255, for bilinear; up to about 1.12 levels
 * for bicubic, whose negative lobes carry the first rounding further), and on average by about 0.3
 * of a level.
 */
class PreprocessingGoldenTest {

    private static Path dir;
    private static Map<String, Tensor> refs;

    @BeforeAll
    static void generate() throws Exception {
        dir = Oracle.work("preprocess");
        Oracle.run(dir.resolve("preprocess.npz"), "preprocess.py", dir.toString());
        refs = Oracle.refs(dir.resolve("preprocess.npz"));
    }

    private static RasterImage png(String name) throws Exception {
        return RasterImage.of(ImageIO.read(dir.resolve(name + ".png").toFile()));
    }

    private static InputSpec spec(String mode, int resize, int h, int w) {
        Resize r = mode.startsWith("short") ? Resize.shorterSide(resize) : Resize.STRETCH;
        return new InputSpec(3, h, w, Normalization.identity(3), mode.endsWith("-bicubic") ? r.with(Resize.Interpolation.BICUBIC) : r);
    }

    /** Float32 rounding of the reference values k / 255 and of Loupe's sums. */
    private static final double FLOAT_SLACK = 1e-6;

    /**
     * Every case within Pillow's rounding of torchvision (1/255 for bilinear), with a mean under
     * 0.4/255 (two 8-bit roundings average about 0.3), on the CPU path and the tensor path alike.
     */
    @Test
    void matchesTorchvisionResizeAndCenterCrop() throws Exception {
        assertEquals(16, refs.size(), "the oracle's cases");
        double worst = 0;
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            for (Map.Entry<String, Tensor> e : refs.entrySet()) {
                String[] k = e.getKey().split(":");
                String[] crop = k[3].split("x");
                InputSpec spec = spec(k[1], Integer.parseInt(k[2]), Integer.parseInt(crop[0]), Integer.parseInt(crop[1]));
                RasterImage image = png(k[0]);
                float[] expected = e.getValue().toFloats();
                float[] cpu = ImageTensors.toInput(m, List.of(image), spec).toFloatArray();
                double d = maxDiff(expected, cpu, e.getKey());
                double mean = meanDiff(expected, cpu);
                double bound = roundingBound(image, spec);
                assertTrue(d <= bound + FLOAT_SLACK, e.getKey() + ": max |diff| " + d * 255 + "/255 from torchvision exceeds "
                        + bound * 255 + "/255");
                assertTrue(mean < 0.4 / 255, e.getKey() + ": mean |diff| " + mean * 255 + "/255 from torchvision is more than rounding");
                NDArray pixels = m.create(ImageTensors.planar(image, 3), new Shape(1, 3, image.height(), image.width()));
                float[] tensor = TensorOps.toInput(pixels, spec).toFloatArray();
                assertArrayEquals(cpu, tensor, 1e-5f, e.getKey() + ": the tensor path equals the CPU path");
                System.out.printf("[preprocess] %-40s |diff| from torchvision: max %.3f/255 (bound %.3f), mean %.3f/255%n", e.getKey(), d * 255,
                        bound * 255, mean * 255);
                worst = Math.max(worst, d);
            }
        }
        System.out.printf("[preprocess] worst %.3f/255%n", worst * 255);
    }

    /**
     * The old resampling (bilinear without antialiasing) is not within 1/255 on a shrunk photo,
     * so the comparison above can tell the two apart.
     */
    @Test
    void withoutAntialiasingAShrunkPhotoDiffers() throws Exception {
        String key = "wide500x375:short:232:224x224";
        RasterImage image = png("wide500x375");
        InputSpec spec = spec("short", 232, 224, 224);
        int[] scaled = ImageTensors.resizedSize(image.width(), image.height(), spec);
        assertArrayEquals(new int[] {309, 232}, scaled, "torchvision's Resize(232): int(232 * 500 / 375) = 309");
        assertArrayEquals(new int[] {42, 4}, ImageTensors.cropOffset(scaled, spec), "CenterCrop: round(85 / 2) = 42, round(8 / 2) = 4");
        float[] plain = ImageTensors.resize(ImageTensors.planar(image, 3), 3, image.height(), image.width(), scaled[1], scaled[0]);
        float[] cropped = new float[3 * 224 * 224];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 224; y++) {
                System.arraycopy(plain, (c * scaled[1] + 4 + y) * scaled[0] + 42, cropped, (c * 224 + y) * 224, 224);
            }
        }
        double d = maxDiff(refs.get(key).toFloats(), cropped, key);
        System.out.printf("[preprocess] %s without antialiasing: max |diff| from torchvision %.2f/255%n", key, d * 255);
        assertTrue(d > 3.0 / 255, "plain bilinear differs from torchvision by " + d * 255 + "/255");
    }

    /**
     * How far Pillow's two 8-bit roundings can take it from the float result: half a level from the
     * last rounding, plus half a level from the first carried through the second pass's weights,
     * {@code 0.5 * sum|w|}. Bilinear weights are positive ({@code sum|w| = 1}: one level);
     * bicubic's negative lobes make {@code sum|w|} up to about 1.25.
     */
    private static double roundingBound(RasterImage image, InputSpec spec) {
        int[] scaled = ImageTensors.resizedSize(image.width(), image.height(), spec);
        if (scaled[1] == image.height() || scaled[0] == image.width()) {
            return 1.0 / 255;
        }
        double worst = 0;
        for (float[] k : ImageTensors.antialiasedTaps(image.height(), scaled[1], spec.resize().interpolation()).weights()) {
            double sum = 0;
            for (float w : k) {
                sum += Math.abs(w);
            }
            worst = Math.max(worst, sum);
        }
        return (0.5 + 0.5 * worst) / 255;
    }

    private static double meanDiff(float[] expected, float[] actual) {
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            sum += Math.abs(expected[i] - actual[i]);
        }
        return sum / expected.length;
    }

    private static double maxDiff(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst;
    }
}

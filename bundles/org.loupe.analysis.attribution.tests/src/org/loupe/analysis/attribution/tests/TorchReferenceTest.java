package org.loupe.analysis.attribution.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.analysis.attribution.Baseline;
import org.loupe.analysis.attribution.Cam;
import org.loupe.analysis.attribution.IntegratedGradients;
import org.loupe.analysis.attribution.Occlusion;
import org.loupe.analysis.attribution.Progress;
import org.loupe.analysis.attribution.Rule;
import org.loupe.analysis.attribution.Saliency;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.model.HookedModel;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Close;
import org.loupe.testing.Oracle;
import org.loupe.testing.TestImages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Saliency, integrated gradients (Gauss-Legendre and trapezoid), occlusion, Grad-CAM, Grad-CAM++
 * and HiResCAM against the same definitions written out in PyTorch ({@code oracle/attribution.py},
 * Captum's and pytorch-grad-cam's formulas), on the same model, images, baseline and classes:
 * within 1e-4 of the largest reference value.
 */
class TorchReferenceTest {

    static final double TOL = 1e-4;
    static final int STEPS = 20;
    static final int WINDOW = 5;
    static final int STRIDE = 3;
    static final String LAYER = "tanh1";

    @TempDir
    Path dir;

    @Test
    void methodsEqualPyTorch() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 3, 16, 5).toString();
        Path model = Fixture.oracleModel();
        try (HookedModel net = f.registry.openModel(model.toString(), null); NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = f.input(m, net, images);
            int[] classes = {1, 3, 0};
            Baseline baseline = Baseline.parse("noise:4");
            NDArray b = baseline.of(x, net.inputSpec());
            TestImages.writeFloats(dir.resolve("input.bin"), x.toFloatArray());
            TestImages.writeFloats(dir.resolve("baseline.bin"), b.toFloatArray());
            Path weights = model.resolveSibling("attribution-cnn.npz");
            Files.writeString(dir.resolve("job.json"), String.format("""
                    {"config": "%s", "weights": "%s", "input": "%s", "baseline": "%s", "shape": %s, "classes": %s,
                     "steps": %d, "window": %d, "stride": %d, "layer": "%s"}
                    """, model, weights, dir.resolve("input.bin"), dir.resolve("baseline.bin"), Arrays.toString(x.getShape().getShape()),
                    Arrays.toString(classes), STEPS, WINDOW, STRIDE, LAYER));
            Path out = dir.resolve("attribution_ref.npz");
            Oracle.run(out, "attribution.py", "ref", dir.resolve("job.json").toString(), out.toString());
            Map<String, Tensor> ref = Oracle.refs(out);

            check(ref, "saliency", new Saliency(false).attribute(net, x, classes, Progress.NONE));
            // a 1 MB budget splits the 3 x 20 path points over several passes
            check(ref, "ig_gausslegendre", new IntegratedGradients(STEPS, Rule.GAUSS_LEGENDRE, baseline, 1).attribute(net, x, classes, Progress.NONE));
            check(ref, "ig_riemann_trapezoid",
                    new IntegratedGradients(STEPS, Rule.RIEMANN_TRAPEZOID, baseline, 1).attribute(net, x, classes, Progress.NONE));
            check(ref, "occlusion", new Occlusion(WINDOW, STRIDE, baseline, 1).attribute(net, x, classes, Progress.NONE));
            checkMaps(ref, "gradcam", new Cam(Cam.Variant.GRADCAM, LAYER).explain(net, x, classes));
            checkMaps(ref, "gradcampp", new Cam(Cam.Variant.GRADCAM_PLUS_PLUS, LAYER).explain(net, x, classes));
            checkMaps(ref, "hirescam", new Cam(Cam.Variant.HIRESCAM, LAYER).explain(net, x, classes));
        }
    }

    private static void check(Map<String, Tensor> ref, String name, NDArray actual) {
        Tensor expected = ref.get(name);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.getShape().getShape(), name + ": shape");
        compare(expected.toFloats(), actual.toFloatArray(), name);
    }

    /** Within {@link #TOL} of the largest reference value (relative, even where the values are much smaller than 1). */
    private static void compare(float[] expected, float[] actual, String name) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        float[] e = expected.clone();
        float[] a = actual.clone();
        for (int i = 0; i < e.length && i < a.length; i++) {
            e[i] /= scale;
            a[i] /= scale;
        }
        double err = Close.assertClose(e, a, TOL, name);
        System.out.printf("attribution reference %s: max error %.2e of the largest value %.3g%n", name, err, scale);
    }

    private static void checkMaps(Map<String, Tensor> ref, String name, List<PixelMap> maps) {
        float[] all = new float[maps.stream().mapToInt(p -> p.values().length).sum()];
        int o = 0;
        for (PixelMap p : maps) {
            System.arraycopy(p.values(), 0, all, o, p.values().length);
            o += p.values().length;
        }
        compare(ref.get(name).toFloats(), all, name);
    }
}

package org.loupe.analysis.causal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.loupe.analysis.causal.tests.Fixture.assertClose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.TableResult;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Ablation (zero, mean, resampled), sweep and patching values against PyTorch: the same network
 * and images in {@code oracle/causal.py}, with forward hooks that change a module's output and one
 * full forward per intervention. Within 1e-4.
 */
class TorchReferenceTest {

    static final double TOL = 1e-4;
    static final String LAYER = "relu1";

    @TempDir
    Path dir;

    @Test
    void ablationSweepAndPatchingEqualPyTorch() throws Exception {
        Fixture f = new Fixture(dir);
        String images = f.randomImages("imgs", 6, 16, 11).toString();
        List<SourceImage> list = f.images(images);
        Path model = OracleModel.folder();
        try (HookedModel net = f.registry.openModel(model.resolve("causal-cnn.json").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Map<String, String> units = Map.of("sites", "units:1,3+units:6", "target", "predicted");
            CompositeResult zero = f.run("org.loupe.analysis.ablation", net, LAYER, images, units);
            CompositeResult mean = f.run("org.loupe.analysis.ablation", net, LAYER, images, with(units, "replacement", "mean"));
            CompositeResult resample = f.run("org.loupe.analysis.ablation", net, LAYER, images, with(units, "replacement", "resample"));
            CompositeResult sweep = f.run("org.loupe.analysis.ablationSweep", net, LAYER, images, Map.of("target", "predicted", "memoryMb", "1"));
            CompositeResult patching = f.run("org.loupe.analysis.patching", net, LAYER, images, Map.of());

            TableResult resampled = Fixture.table(resample, "Per image");
            int from = resampled.columns().indexOf("resampled from");
            int[] donors = resampled.rows().stream().mapToInt(r -> indexOf(list, (String) r.get(from))).toArray();
            NDArray x = f.input(m, net, images);
            Fixture.writeFloats(dir.resolve("input.bin"), x.toFloatArray());
            Files.writeString(dir.resolve("job.json"), String.format("""
                    {"config": "%s", "weights": "%s", "input": "%s", "shape": %s, "layer": "%s", "units": [1, 3, 6], "donors": %s}
                    """, model.resolve("causal-cnn.json"), model.resolve("causal-cnn.npz"), dir.resolve("input.bin"),
                    Arrays.toString(x.getShape().getShape()), LAYER, Arrays.toString(donors)));
            Path out = dir.resolve("causal_ref.npz");
            Oracle.run(out, "causal.py", dir.resolve("job.json").toString(), out.toString());
            Map<String, Tensor> ref = Oracle.refs(out);

            float[][] clean = rows(ref.get("clean"), 6);
            int[] target = Arrays.stream(clean).mapToInt(BatchedSweepTest::argmax).toArray();
            for (String kind : List.of("zero", "mean", "resample")) {
                CompositeResult r = kind.equals("zero") ? zero : kind.equals("mean") ? mean : resample;
                TableResult perImage = Fixture.table(r, "Per image");
                float[][] ablated = rows(ref.get(kind), 6);
                assertClose(pick(clean, target), Fixture.column(perImage, "clean logit"), TOL, kind + ": clean logits");
                assertClose(pick(ablated, target), Fixture.column(perImage, "ablated logit"), TOL, kind + ": ablated logits");
            }
            float[] s = ref.get("sweep").toFloats();
            int k = clean[0].length;
            double[] drop = new double[8];
            for (int u = 0; u < 8; u++) {
                for (int i = 0; i < 6; i++) {
                    drop[u] += (clean[i][target[i]] - s[(u * 6 + i) * k + target[i]]) / 6;
                }
            }
            assertClose(drop, Fixture.byIndex(Fixture.table(sweep, "Ranked"), "target logit drop", 8), TOL, "sweep");

            TableResult layers = Fixture.table(patching, "Restoration per hook point");
            assertEquals(net.hookPoints().size(), layers.rows().size());
            assertClose(toDoubles(ref.get("patch_layers").toFloats()), Fixture.column(layers, "restoration"), TOL, "patching per hook point");
            assertClose(toDoubles(ref.get("patch_units").toFloats()), Fixture.byIndex(Fixture.table(patching, "Restoration per units"), "restoration", 8),
                    TOL, "patching per unit");
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static int indexOf(List<SourceImage> images, String name) {
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no image " + name);
    }

    private static float[][] rows(Tensor t, int n) {
        return Fixture.rows(t.toFloats(), n);
    }

    private static double[] pick(float[][] logits, int[] target) {
        double[] out = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            out[i] = logits[i][target[i]];
        }
        return out;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}

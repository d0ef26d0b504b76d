package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;
import org.loupe.core.model.Sites;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Partial forward passes for every architecture family: for each resumable hook point P, a prefix
 * stopped after P followed by a suffix from P equals the full pass within 1e-5 of the output's
 * scale, with no interventions and with interventions downstream of P (the same in the full pass
 * and the suffix); the prefix records nothing beyond P; a hook point inside a block is refused as a
 * start, with the nearest resumable point named. Models: the built-in demo CNN (sequential) and
 * demo ViT, and the zoo's files with seeded weights (oracle/zoo_cnn.py, oracle/zoo_vit.py).
 */
class PartialForwardTest {

    static final double TOL = 1e-5;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "demo-cnn, builtin, , ",
            "demo-vit, builtin, , ",
            "resnet18, zoo, layer2.0.conv1, layer1",
            "googlenet, zoo, inception4a.branch2, maxpool3",
            "inceptionv1, zoo, mixed4a_3x3, maxpool4",
            "convnext-tiny, zoo, features.3.1.block.4, features.3.0",
            "tv_small.safetensors, vit, encoder.layers.encoder_layer_1.self_attention.probs, encoder.layers.encoder_layer_1.resid_pre"})
    void prefixThenSuffixEqualsTheFullPass(String model, String kind, String inner, String nearest) throws Exception {
        try (HookedModel m = open(model, kind); NDManager nd = LoupeEngine.get().newBaseManager()) {
            var in = m.inputSpec();
            NDArray x = nd.randomUniform(-1, 1, new Shape(2, in.channels(), in.height(), in.width()));
            float[] full = m.forward(x, Hooks.none()).output().toFloatArray();
            List<HookPoint> resumable = m.hookPoints().stream().filter(HookPoint::resumable).toList();
            assertTrue(resumable.size() >= 5, model + ": at least 5 resumable hook points, got " + resumable.size());
            int checked = 0;
            for (HookPoint p : resumable) {
                try (NDManager step = nd.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(step);
                    ModelOutput prefix = m.forward(xs, Hooks.cacheAll(), Range.until(p.name()));
                    List<String> recorded = List.copyOf(prefix.cache().names());
                    assertEquals(p.name(), recorded.get(recorded.size() - 1), model + ": the prefix records nothing beyond " + p.name());
                    NDArray suffix = m.forward(prefix.output(), Hooks.none(), Range.from(p.name())).output();
                    Rel.assertClose(full, suffix.toFloatArray(), TOL, model + ": prefix to " + p.name() + " + suffix");
                    checked++;
                }
            }
            assertEquals(resumable.size(), checked);
            if (inner != null) {
                assertFalse(m.hookPoint(inner).resumable(), inner + " lies inside a block");
                assertEquals(nearest, m.resumePointFor(inner).orElseThrow().name());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> m.forward(x, Hooks.none(), Range.from(inner)));
                assertTrue(e.getMessage().contains("'" + nearest + "'"), e.getMessage());
            }
        }
    }

    /**
     * Interventions downstream of the start act in the suffix as in the full pass: for a start P and
     * the hook points after it (inside blocks too), a zero ablation of unit 0 composed with a scale
     * of unit 1, the same in both.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "demo-cnn, builtin",
            "demo-vit, builtin",
            "resnet18, zoo",
            "googlenet, zoo",
            "inceptionv1, zoo",
            "convnext-tiny, zoo",
            "timm_small.safetensors, vit",
            "hf_small.safetensors, vit"})
    void interventionsDownstreamActInTheSuffix(String model, String kind) throws Exception {
        try (HookedModel m = open(model, kind); NDManager nd = LoupeEngine.get().newBaseManager()) {
            var in = m.inputSpec();
            NDArray x = nd.randomUniform(-1, 1, new Shape(2, in.channels(), in.height(), in.width()));
            List<HookPoint> points = m.hookPoints();
            List<HookPoint> resumable = points.stream().filter(HookPoint::resumable).toList();
            HookPoint start = resumable.get(resumable.size() / 3);
            int first = points.indexOf(start);
            // two downstream points: the next one (often inside a block) and one two thirds of the way
            for (HookPoint q : List.of(points.get(first + 1), points.get(first + (points.size() - first) * 2 / 3))) {
                if (q.kind() == HookKind.LOGITS || q.units() < 2) {
                    continue;
                }
                Hooks hooks = Hooks.builder().intervene(q.name(), Interventions.zero(0)).intervene(q.name(), Interventions.scale(3f, 1)).build();
                float[] clean = m.forward(x, Hooks.none()).output().toFloatArray();
                float[] full = m.forward(x, hooks).output().toFloatArray();
                NDArray at = m.forward(x, Hooks.none(), Range.until(start.name())).output();
                float[] suffix = m.forward(at, hooks, Range.from(start.name())).output().toFloatArray();
                Rel.assertClose(full, suffix, TOL, model + ": intervention at " + q.name() + ", suffix from " + start.name());
                assertTrue(maxDiff(clean, full) > 1e-4 * scale(clean), model + ": the intervention at " + q.name() + " changes the output");
            }
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double scale(float[] a) {
        double s = 0;
        for (float v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    static HookedModel open(String model, String kind) throws Exception {
        return switch (kind) {
            case "builtin" -> new LoupeRegistry().openModel(model, null);
            case "zoo" -> {
                Path dir = ZooFiles.ensure(model);
                yield new LoupeRegistry().openModel(dir.resolve(model + ".safetensors").toString(), null);
            }
            default -> new LoupeRegistry().openModel(VitOracle.generate("small", "tv_small").resolve(model).toString(), null);
        };
    }

    /** Sites other than whole units: a per-row unit ablation equals ablating each row alone. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet18, zoo, layer3.0.conv2", "tv_small.safetensors, vit, encoder.layers.encoder_layer_1.self_attention.probs"})
    void perRowSitesEqualOneRowAtATime(String model, String kind, String point) throws Exception {
        try (HookedModel m = open(model, kind); NDManager nd = LoupeEngine.get().newBaseManager()) {
            var in = m.inputSpec();
            NDArray one = nd.randomUniform(-1, 1, new Shape(1, in.channels(), in.height(), in.width()));
            int[] units = {3, -1, 0};
            NDArray batch = one.repeat(0, units.length);
            float[] rows = m.forward(batch, Hooks.builder().intervene(point, Interventions.zero(Sites.unitPerRow(units))).build()).output()
                    .toFloatArray();
            int per = rows.length / units.length;
            for (int i = 0; i < units.length; i++) {
                Hooks alone = units[i] < 0 ? Hooks.none() : Hooks.builder().intervene(point, Interventions.zero(units[i])).build();
                float[] expected = m.forward(one, alone).output().toFloatArray();
                float[] got = java.util.Arrays.copyOfRange(rows, i * per, (i + 1) * per);
                Rel.assertClose(expected, got, TOL, model + " row " + i + " (unit " + units[i] + ")");
            }
        }
    }
}

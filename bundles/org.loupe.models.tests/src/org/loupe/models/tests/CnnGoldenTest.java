package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Normalization;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Close;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The zoo's CNNs at their real sizes against PyTorch (torchvision 0.14 and the InceptionV1 module
 * of oracle/lucent_inceptionv1.py) with seeded random weights: logits, a sample of hook-point
 * activations (early to deep), the objective {@code mean(channel k of a mid-level hook point) +
 * sum(logits[:, 0])}, its input gradient and its gradient at one hook point must agree within 1e-4
 * of each reference tensor's largest magnitude (the scalar objective within 1e-4 of
 * {@code max(1, |objective|)}). Logits are checked twice: with the sampled hook points recorded
 * (their convolutions run apart from their batch norms) and with none (every convolution of a
 * conv + batch-norm pair folded into one, as forward passes outside a gradient scope run). The measured differences are printed as
 * {@code GOLDEN <arch> <what> maxabs=... maxrel=...}.
 */
class CnnGoldenTest {

    static final double TOL = 1e-4;
    /** Folded batch norms change the rounding; a pre-ReLU sign switch moved seeded ResNet-50's input gradient by 3.5 % of its largest entry. */
    static final double FOLDED_GRADIENT_TOL = 0.05;

    /** The objective of each architecture (as in oracle/zoo_cnn.py): hook point, channel, gradient hook point. */
    record Objective(String hook, int channel, String gradientHook) {
    }

    static final Map<String, Objective> OBJECTIVES = Map.of(
            "resnet18", new Objective("layer3.1.conv2", 5, "layer2"),
            "resnet34", new Objective("layer3.1.conv2", 5, "layer2"),
            "resnet50", new Objective("layer3.1.conv2", 5, "layer2"),
            "resnet101", new Objective("layer3.1.conv2", 5, "layer2"),
            "googlenet", new Objective("inception4c", 7, "inception3b"),
            "inceptionv1", new Objective("mixed4a", 476, "mixed3b"),
            "convnext-tiny", new Objective("features.5.8.block.4", 11, "features.3.2"));

    @Test
    void resnet18FromNpz() throws Exception {
        HookedModel m = check("resnet18", "resnet18.npz");
        assertEquals(List.of("tench", "goldfish"), m.labels().subList(0, 2));
    }

    /** Hook points intervene: with the pooled features ablated, the logits are the classifier's bias. */
    @Test
    void ablatingThePooledFeaturesLeavesTheBias() throws Exception {
        Path dir = ZooFiles.ensure("resnet18");
        Map<String, Tensor> weights = org.loupe.models.io.Safetensors.read(dir.resolve("resnet18.safetensors"));
        try (HookedModel model = new LoupeRegistry().openModel(dir.resolve("resnet18.safetensors").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 3, 224, 224));
            float[] out = model.forward(x, Hooks.builder().intervene("avgpool", Interventions.zero(java.util.stream.IntStream.range(0, 512).toArray())).build()).output().toFloatArray();
            Rel.assertClose(weights.get("fc.bias").toFloats(), out, 1e-6, "logits with avgpool ablated");
        }
    }

    @Test
    void resnet34() throws Exception {
        check("resnet34", "resnet34.safetensors");
    }

    @Test
    void resnet50() throws Exception {
        HookedModel m = check("resnet50", "resnet50.safetensors");
        assertEquals(new Shape(64, 56, 56), m.hookPoint("layer1.0.relu2").shape());
        assertEquals(new Shape(256, 56, 56), m.hookPoint("layer1.2").shape());
        assertEquals(new Shape(2048), m.hookPoint("avgpool").shape());
        assertEquals(HookKind.LOGITS, m.hookPoint("fc").kind());
    }

    @Test
    void resnet101() throws Exception {
        check("resnet101", "resnet101.safetensors");
    }

    /** torchvision's trained GoogLeNet file has aux1/aux2 tensors; the oracle's has them too, read from .pth. */
    @Test
    void googlenetFromPthWithAuxTensors() throws Exception {
        HookedModel m = check("googlenet", "googlenet.pth");
        for (String b : List.of("branch1", "branch2", "branch3", "branch4")) {
            assertEquals(HookKind.CONV_CHANNELS, m.hookPoint("inception3a." + b).kind());
        }
        assertEquals(new Shape(256, 28, 28), m.hookPoint("inception3a").shape());
    }

    /** {@code "transform_input": true} in the sidecar applies torchvision's input re-normalisation. */
    @Test
    void googlenetTransformInputFromSidecar() throws Exception {
        Path dir = ZooFiles.ensure("googlenet");
        Path copy = Oracle.work("zoo-transform");
        Files.copy(dir.resolve("googlenet.safetensors"), copy.resolve("gn.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(copy.resolve("gn.json"), "{\"transform_input\": true}");
        Map<String, Tensor> ref = Oracle.refs(dir.resolve("googlenet_ref.npz"));
        try (HookedModel model = new LoupeRegistry().openModel(copy.resolve("gn.safetensors").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            NDArray x = m.create(ref.get("input").toFloats(), new Shape(ref.get("input").shape()));
            float[] logits = model.forward(x, Hooks.none()).output().toFloatArray();
            report("googlenet", "logits(transform_input)", Rel.assertClose(ref.get("logits_transform_input").toFloats(), logits, TOL,
                    "googlenet transform_input logits"));
            double[] change = largestDifference(ref.get("logits_transform_input").toFloats(), ref.get("logits").toFloats());
            assertTrue(change[0] > 1e-2 * change[1], "transform_input must matter for this test to mean anything");
        }
    }

    @Test
    void inceptionV1Lucent() throws Exception {
        HookedModel m = check("inceptionv1", "inceptionv1.safetensors");
        assertEquals(Normalization.LUCID_INCEPTION, m.inputSpec().normalization());
        assertEquals(1008, m.labels().size());
        long[] channels = {256, 480, 508, 512, 512, 528, 832, 832, 1024};
        String[] blocks = {"mixed3a", "mixed3b", "mixed4a", "mixed4b", "mixed4c", "mixed4d", "mixed4e", "mixed5a", "mixed5b"};
        for (int i = 0; i < blocks.length; i++) {
            HookPoint p = m.hookPoint(blocks[i]);
            assertEquals(HookKind.CONV_CHANNELS, p.kind());
            assertEquals(channels[i], p.units(), blocks[i]);
        }
        assertEquals(new Shape(64, 112, 112), m.hookPoint("conv2d0_pre_relu_conv").shape());
        assertEquals(new Shape(204, 14, 14), m.hookPoint("mixed4a_3x3").shape());
        assertEquals(HookKind.LOGITS, m.hookPoint("softmax2_pre_activation_matmul").kind());
    }

    @Test
    void convnextTinyFromPth() throws Exception {
        HookedModel m = check("convnext-tiny", "convnext-tiny.pth");
        assertEquals(new Shape(384, 56, 56), m.hookPoint("features.1.0.block.4").shape());
        assertEquals(new Shape(768, 7, 7), m.hookPoint("features.7").shape());
    }

    /** Opens {@code file}, compares with the references, and returns the (closed) model for metadata checks. */
    private static HookedModel check(String arch, String file) throws Exception {
        Path dir = ZooFiles.ensure(arch);
        Map<String, Tensor> ref = Oracle.refs(dir.resolve(arch + "_ref.npz"));
        Objective obj = OBJECTIVES.get(arch);
        long start = System.nanoTime();
        HookedModel model = new LoupeRegistry().openModel(dir.resolve(file).toString(), null);
        long opened = System.nanoTime();
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            assertEquals(arch, model.info().architecture());
            Tensor in = ref.get("input");
            NDArray x = m.create(in.toFloats(), new Shape(in.shape()));
            // in forward order, so that a mismatch is reported where it starts
            String[] sampled = model.hookPoints().stream().map(HookPoint::name).filter(h -> ref.containsKey("act." + h))
                    .toArray(String[]::new);
            assertEquals(ref.keySet().stream().filter(k -> k.startsWith("act.")).count(), sampled.length,
                    arch + ": every sampled activation names a hook point");
            assertTrue(sampled.length >= 4, arch + ": at least 4 sampled hook points");
            ModelOutput out = model.forward(x, Hooks.cache(sampled));
            double worstAbs = 0;
            double worstRel = 0;
            for (String h : sampled) {
                Tensor a = ref.get("act." + h);
                assertEquals(new Shape(a.shape()).slice(1), model.hookPoint(h).shape(), arch + " shape of " + h);
                double[] d = Rel.assertClose(a.toFloats(), out.cache().get(h).toFloatArray(), TOL, arch + " activation " + h);
                worstAbs = Math.max(worstAbs, d[0]);
                worstRel = Math.max(worstRel, d[1]);
            }
            report(arch, "activations(" + sampled.length + ")", new double[] {worstAbs, worstRel});
            report(arch, "logits", Rel.assertClose(ref.get("logits").toFloats(), out.output().toFloatArray(), TOL, arch + " logits"));
            // with no hook point watched, every convolution runs with the batch norm after it folded in
            report(arch, "logits(folded)", Rel.assertClose(ref.get("logits").toFloats(),
                    model.forward(x, Hooks.none()).output().toFloatArray(), TOL, arch + " logits, batch norms folded"));
            Gradients.Result g = Gradients.backward(model, x, Hooks.builder().cache(obj.hook()).gradient(obj.gradientHook()).build(),
                    o -> o.cache().get(obj.hook()).get(":, " + obj.channel()).mean().add(o.output().get(":, 0").sum()));
            // a sum of terms that may nearly cancel: compared within 1e-4 of max(1, |objective|), the project's usual scale
            float objective = ref.get("objective").toFloats()[0];
            double objDiff = Close.assertClose(new float[] {objective}, new float[] {g.objective().getFloat()}, TOL, arch + " objective");
            report(arch, "objective", new double[] {objDiff, objDiff / Math.max(1, Math.abs(objective))});
            report(arch, "grad.input", Rel.assertClose(ref.get("grad.input").toFloats(), g.inputGradient().toFloatArray(), TOL,
                    arch + " input gradient"));
            report(arch, "grad." + obj.gradientHook(), Rel.assertClose(ref.get("grad." + obj.gradientHook()).toFloats(),
                    g.output().cache().gradient(obj.gradientHook()).toFloatArray(), TOL, arch + " gradient at " + obj.gradientHook()));
            // the same input gradient with the batch norms folded (Gradients.ofFolded, as feature visualization runs): the
            // rounding differs, so it is not PyTorch's to the last digits, but it is the same function's gradient
            float[] folded = Gradients.ofFolded(List.of(x), () -> {
                ModelOutput o = model.forward(x, Hooks.cache(obj.hook()));
                return o.cache().get(obj.hook()).get(":, " + obj.channel()).mean().add(o.output().get(":, 0").sum());
            }).gradient(0).toFloatArray();
            double[] off = largestDifference(ref.get("grad.input").toFloats(), folded);
            report(arch, "grad.input(folded)", new double[] {off[0], off[0] / off[1]});
            assertTrue(off[0] <= FOLDED_GRADIENT_TOL * off[1], arch + " folded input gradient off by " + off[0] / off[1] + " of its largest entry");
        } finally {
            model.close();
        }
        System.out.printf("GOLDEN %s open %.2f s, forward+backward %.2f s, %d hook points%n", arch, (opened - start) / 1e9,
                (System.nanoTime() - opened) / 1e9, model.hookPoints().size());
        return model;
    }

    /** {max |a - b|, max |a|}. */
    private static double[] largestDifference(float[] a, float[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return new double[] {diff, scale};
    }

    private static void report(String arch, String what, double[] d) {
        System.out.printf("GOLDEN %s %s maxabs=%.3g maxrel=%.3g%n", arch, what, d[0], d[1]);
    }
}

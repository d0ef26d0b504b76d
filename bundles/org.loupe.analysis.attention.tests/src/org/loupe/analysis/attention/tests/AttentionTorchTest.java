package org.loupe.analysis.attention.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.analysis.attention.AttentionRecorder;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Rollout;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Npz;
import org.loupe.models.io.Tensor;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rollout, gradient rollout, raw attention and attended-by against PyTorch (oracle/attention.py):
 * the formulas on the very attention tensors PyTorch recorded (within 1e-5), the attention and
 * its gradients that Loupe records from the same small timm-named ViT (autograd in PyTorch), and a
 * ViT whose queries and keys are zero, so its attention is uniform in closed form.
 */
class AttentionTorchTest {

    static Path dir;
    static Map<String, Tensor> ref;
    static final int IMAGES = 2;
    static final int LAYERS = 3;
    static final int HEADS = 2;
    static final int TOKENS = 17;

    @BeforeAll
    static void oracle() throws Exception {
        dir = Oracle.work("attention");
        Oracle.run(dir.resolve("att_ref.npz"), "attention.py", dir.toString());
        ref = Npz.read(dir.resolve("att_ref.npz"));
    }

    static float[] image(String key, int n) {
        float[] all = ref.get(key).toFloats();
        int per = all.length / IMAGES;
        return Arrays.copyOfRange(all, n * per, (n + 1) * per);
    }

    static AttentionStack torchStack(int n) {
        List<String> layers = List.of("blocks.0.attn.probs", "blocks.1.attn.probs", "blocks.2.attn.probs");
        return new AttentionStack(TokenLayout.classTokenAndGrid(4, 4), layers, HEADS, TOKENS, image("probs", n), image("grads", n));
    }

    /** The map a reference key names: rollout_FUSION_DISCARD_START_TOKEN, grad_START_TOKEN, raw_/attendedBy_LAYER_HEAD_TOKEN. */
    static float[] loupeMap(AttentionStack s, String key) {
        String[] f = key.split("_");
        return switch (f[0]) {
            case "rollout" -> Rollout.rollout(s, Fusion.valueOf(f[1].toUpperCase()), Double.parseDouble(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]));
            case "grad" -> Rollout.gradRollout(s, Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            case "raw" -> Rollout.raw(s, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            case "attendedBy" -> Rollout.attendedBy(s, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            default -> throw new AssertionError("unknown reference map " + key);
        };
    }

    static double maxDiff(float[] e, float[] a) {
        assertEquals(e.length, a.length);
        double d = 0;
        for (int i = 0; i < e.length; i++) {
            d = Math.max(d, Math.abs(e[i] - a[i]));
        }
        return d;
    }

    @Test
    void everyMethodEqualsPyTorchOnTheSameAttention() {
        int compared = 0;
        double worst = 0;
        for (String k : ref.keySet()) {
            if (!k.startsWith("map.")) {
                continue;
            }
            String key = k.substring(4);
            for (int n = 0; n < IMAGES; n++) {
                float[] expected = image(k, n);
                double d = maxDiff(expected, loupeMap(torchStack(n), key));
                assertTrue(d <= 1e-5, key + " image " + n + ": max |diff| " + d + "\nexpected " + Arrays.toString(expected) + "\nactual   "
                        + Arrays.toString(loupeMap(torchStack(n), key)));
                worst = Math.max(worst, d);
                compared++;
            }
        }
        assertEquals(2 * 32, compared, "every reference map was compared");
        System.out.printf("[attention oracle] %d maps equal PyTorch's, max |diff| %.2e%n", compared, worst);
    }

    @Test
    void recordedAttentionAndGradientsEqualPyTorchAutograd() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = registry.openModel(dir.resolve("att_vit.safetensors").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            AttentionRecorder recorder = new AttentionRecorder(model);
            assertEquals(LAYERS, recorder.layers().size());
            assertEquals(TokenLayout.classTokenAndGrid(4, 4), recorder.layout());
            Tensor in = ref.get("input");
            NDArray x = m.create(in.toFloats(), new Shape(in.shape()));
            AttentionRecorder.Batch b = recorder.record(x, true, -1);
            float[] targets = ref.get("target").toFloats();
            double probs = 0;
            double grads = 0;
            for (int n = 0; n < IMAGES; n++) {
                assertEquals((int) targets[n], b.targets()[n], "the predicted class of image " + n);
                AttentionStack s = b.stacks().get(n);
                probs = Math.max(probs, maxDiff(image("probs", n), s.probs()));
                float[] g = image("grads", n);
                double scale = Arrays.stream(box(g)).mapToDouble(v -> Math.abs(v)).max().orElse(1);
                grads = Math.max(grads, maxDiff(g, s.gradProbs()) / scale);
                for (String key : List.of("rollout_mean_0.0_0_-1", "rollout_max_0.0_1_-1", "grad_0_-1", "grad_1_-1", "raw_2_1_-1", "attendedBy_1_0_4")) {
                    double d = maxDiff(image("map." + key, n), loupeMap(s, key));
                    assertTrue(d <= 1e-4, key + " from Loupe's own attention, image " + n + ": max |diff| " + d);
                }
            }
            assertTrue(probs <= 1e-5, "attention probabilities: max |diff| " + probs);
            assertTrue(grads <= 1e-4, "attention gradients: max |diff| / max |grad| " + grads);
            System.out.printf("[attention oracle] Loupe's attention vs PyTorch: probs %.2e, gradients %.2e (relative)%n", probs, grads);
        }
    }

    static Float[] box(float[] a) {
        Float[] out = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Test
    void zeroQueriesAndKeysGiveUniformAttentionAndItsClosedFormRollout() throws Exception {
        LoupeRegistry registry = new LoupeRegistry();
        try (HookedModel model = registry.openModel(dir.resolve("att_uniform.safetensors").toString(), null);
                NDManager m = LoupeEngine.get().newBaseManager()) {
            Tensor in = ref.get("input");
            AttentionRecorder.Batch b = new AttentionRecorder(model).record(m.create(in.toFloats(), new Shape(in.shape())), true, 0);
            AttentionStack s = b.stacks().get(0);
            for (float p : s.probs()) {
                assertEquals(1f / TOKENS, p, 1e-7, "softmax of equal scores");
            }
            float[] ones = new float[16];
            Arrays.fill(ones, 1);
            // ((J/T + I) / 2)^L = J/T + (I - J/T) / 2^L: every patch gets (1 - 2^-L) / T from the class token
            for (Fusion f : Fusion.values()) {
                assertArrayEquals(ones, Rollout.rollout(s, f, 0, 0, -1), 1e-6f, f + " fusion of uniform attention");
            }
            assertArrayEquals(ones, Rollout.raw(s, 1, -1, 3), 1e-6f);
            assertArrayEquals(ones, Rollout.attendedBy(s, 2, 0, -1), 1e-6f);
        }
    }
}

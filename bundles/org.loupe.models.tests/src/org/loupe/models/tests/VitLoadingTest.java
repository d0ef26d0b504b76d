package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Normalization;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Safetensors;
import org.loupe.models.io.Tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * How Vision Transformer files are recognised: the naming convention from the tensor names, the size
 * from the shapes, heads and epsilon from the sidecar; the hook points each convention gets; and
 * the errors for files that do not fit (missing qkv, mis-shaped position embedding, heads that do not
 * divide the width, a variant that does not match, missing blocks, unknown tensors).
 */
class VitLoadingTest {

    static Path dir;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() throws Exception {
        dir = VitOracle.generate("small", "tv_small");
    }

    private static HookedModel open(Path file) throws ModelLoadException {
        return new LoupeRegistry().openModel(file.toString(), null);
    }

    private static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
        }
    }

    private static void assertPoint(HookedModel m, String name, HookKind kind, long... shape) {
        HookPoint p = m.hookPoint(name);
        assertEquals(kind, p.kind(), name);
        assertEquals(new Shape(shape), p.shape(), name);
    }

    /** Copies {@code source}'s tensors, edited by {@code edit}, to {@code tmp/name.safetensors}, with an optional sidecar. */
    private Path rewrite(String source, String name, Consumer<Map<String, float[]>> editValues, Map<String, long[]> shapeEdits,
            String sidecar) throws IOException {
        Map<String, Tensor> all = Safetensors.read(dir.resolve(source + ".safetensors"));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Tensor t : all.values()) {
            values.put(t.name(), t.toFloats());
            shapes.put(t.name(), t.shape());
        }
        editValues.accept(values);
        shapes.keySet().retainAll(values.keySet());
        for (Map.Entry<String, long[]> e : shapeEdits.entrySet()) {
            shapes.put(e.getKey(), e.getValue());
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            values.put(e.getKey(), new float[(int) n]);
        }
        Path out = tmp.resolve(name + ".safetensors");
        Safetensors.write(out, values, shapes);
        if (sidecar != null) {
            Files.writeString(tmp.resolve(name + ".json"), sidecar);
        }
        return out;
    }

    private String error(Path file) {
        return assertThrows(ModelLoadException.class, () -> open(file).close()).getMessage();
    }

    @Test
    void torchvisionNamesAndSize() throws Exception {
        try (HookedModel m = open(dir.resolve("tv_small.safetensors"))) {
            assertEquals("Small torchvision ViT", m.info().name());
            assertEquals(64, m.inputSpec().height());
            assertEquals(64, m.inputSpec().width());
            assertEquals(Normalization.IMAGENET, m.inputSpec().normalization());
            assertEquals(10, m.labels().size());
            String b = "encoder.layers.encoder_layer_2";
            assertPoint(m, "conv_proj", HookKind.CONV_CHANNELS, 192, 8, 8);
            assertPoint(m, "encoder.embedded", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".resid_pre", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".ln_1", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".self_attention.q", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".self_attention.probs", HookKind.ATTENTION, 6, 65, 65);
            assertPoint(m, b + ".self_attention.context", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".self_attention.out_proj", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".resid_mid", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".mlp.1", HookKind.TOKENS, 65, 320);
            assertPoint(m, b + ".mlp.3", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".resid_post", HookKind.TOKENS, 65, 192);
            assertPoint(m, "encoder.ln", HookKind.TOKENS, 65, 192);
            assertPoint(m, "pooled", HookKind.VECTOR, 192);
            assertPoint(m, "heads.head", HookKind.LOGITS, 10);
            assertEquals(2 + 3 * 13 + 3, m.hookPoints().size());
            assertEquals("conv_proj", m.hookPoints().get(0).name());
            assertEquals("heads.head", m.hookPoints().get(m.hookPoints().size() - 1).name());
        }
    }

    @Test
    void legacyTorchvisionNamesWithRepresentationLayer() throws Exception {
        try (HookedModel m = open(dir.resolve("tv_repr.safetensors"))) {
            assertEquals(32, m.inputSpec().height());
            assertPoint(m, "encoder.layers.encoder_layer_1.self_attention.probs", HookKind.ATTENTION, 2, 65, 65);
            assertPoint(m, "encoder.layers.encoder_layer_1.mlp.act", HookKind.TOKENS, 65, 200);
            assertPoint(m, "encoder.layers.encoder_layer_1.mlp.linear_2", HookKind.TOKENS, 65, 128);
            assertPoint(m, "heads.pre_logits", HookKind.VECTOR, 48);
            assertPoint(m, "heads.act", HookKind.VECTOR, 48);
            assertPoint(m, "heads.head", HookKind.LOGITS, 7);
        }
    }

    @Test
    void timmNames() throws Exception {
        try (HookedModel m = open(dir.resolve("timm_small.safetensors"))) {
            assertEquals(new Normalization(1f, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}), m.inputSpec().normalization());
            assertPoint(m, "patch_embed.proj", HookKind.CONV_CHANNELS, 192, 8, 8);
            assertPoint(m, "embedded", HookKind.TOKENS, 65, 192);
            assertPoint(m, "blocks.0.norm1", HookKind.TOKENS, 65, 192);
            assertPoint(m, "blocks.0.attn.k", HookKind.TOKENS, 65, 192);
            assertPoint(m, "blocks.0.attn.probs", HookKind.ATTENTION, 6, 65, 65);
            assertPoint(m, "blocks.0.attn.proj", HookKind.TOKENS, 65, 192);
            assertPoint(m, "blocks.0.norm2", HookKind.TOKENS, 65, 192);
            assertPoint(m, "blocks.0.mlp.act", HookKind.TOKENS, 65, 320);
            assertPoint(m, "blocks.0.mlp.fc2", HookKind.TOKENS, 65, 192);
            assertPoint(m, "norm", HookKind.TOKENS, 65, 192);
            assertPoint(m, "head", HookKind.LOGITS, 10);
        }
    }

    @Test
    void huggingFaceNames() throws Exception {
        try (HookedModel m = open(dir.resolve("hf_small.safetensors"))) {
            String b = "vit.encoder.layer.2";
            assertPoint(m, "vit.embeddings.patch_embeddings.projection", HookKind.CONV_CHANNELS, 192, 8, 8);
            assertPoint(m, "vit.embeddings", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".layernorm_before", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".attention.attention.query", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".attention.attention.value", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".attention.attention.probs", HookKind.ATTENTION, 6, 65, 65);
            assertPoint(m, b + ".attention.output.dense", HookKind.TOKENS, 65, 192);
            assertPoint(m, b + ".intermediate", HookKind.TOKENS, 65, 320);
            assertPoint(m, b + ".output.dense", HookKind.TOKENS, 65, 192);
            assertPoint(m, "vit.layernorm", HookKind.TOKENS, 65, 192);
            assertPoint(m, "classifier", HookKind.LOGITS, 10);
        }
        // ViTModel: no prefix, pooler weights accepted but unused, no classifier: the output is the pooled CLS token
        try (HookedModel m = open(dir.resolve("hf_model.safetensors")); NDManager nd = LoupeEngine.get().newBaseManager()) {
            assertPoint(m, "embeddings", HookKind.TOKENS, 65, 192);
            assertPoint(m, "encoder.layer.0.attention.attention.probs", HookKind.ATTENTION, 6, 65, 65);
            assertPoint(m, "layernorm", HookKind.TOKENS, 65, 192);
            HookPoint last = m.hookPoints().get(m.hookPoints().size() - 1);
            assertEquals("pooled", last.name());
            assertEquals(HookKind.VECTOR, last.kind());
            assertTrue(m.hookPoints().stream().noneMatch(p -> p.kind() == HookKind.LOGITS));
            assertEquals(List.of(), m.labels());
            assertEquals(new Shape(3, 192), m.forward(nd.zeros(new Shape(3, 3, 64, 64)), Hooks.none()).output().getShape());
        }
    }

    @Test
    void standardSizesAreNamedVariants() throws Exception {
        // the sidecar may name a variant; a file of another size is refused with both sizes
        Path p = rewrite("tv_small", "named", v -> { }, Map.of(), "{\"architecture\": \"vit-b-16\"}");
        assertContains(error(p), "named.safetensors is said to be vit-b-16 (patch 16, width 768, 12 blocks, MLP 3072)",
                "holds a ViT with patch 8, width 192, 3 blocks, MLP 320 (64x64 input)", "\"architecture\": \"vit\"");
        Files.writeString(tmp.resolve("named.json"), "{\"architecture\": \"vit\", \"heads\": 6}");
        try (HookedModel m = open(p)) {
            assertEquals("vit", m.info().architecture());
        }
    }

    @Test
    void headsComeFromTheSidecar() throws Exception {
        // width 192 without a sidecar: 192 / 64 = 3 heads
        Path p = rewrite("tv_small", "three", v -> { }, Map.of(), null);
        try (HookedModel m = open(p)) {
            assertPoint(m, "encoder.layers.encoder_layer_0.self_attention.probs", HookKind.ATTENTION, 3, 65, 65);
        }
        Files.writeString(tmp.resolve("three.json"), "{\"heads\": 5}");
        assertContains(error(p), "three.safetensors (torchvision ViT): the sidecar says \"heads\": 5, which does not divide the width 192",
                "Divisors near it: 4, 6");
        Files.writeString(tmp.resolve("three.json"), "{\"heads\": \"many\"}");
        assertContains(error(p), "the sidecar's \"heads\" must be a whole number");
        Files.writeString(tmp.resolve("three.json"), "{\"heads\": 6, \"layer_norm_eps\": -1}");
        assertContains(error(p), "the sidecar's \"layer_norm_eps\" must be a positive number");
    }

    @Test
    void layerNormEpsilonComesFromTheSidecar() throws Exception {
        // with eps 0.5 the first norm must be (x - mean) / sqrt(var + 0.5) * weight + bias of its input
        Path p = rewrite("tv_small", "eps", v -> { }, Map.of(), "{\"heads\": 6, \"layer_norm_eps\": 0.5}");
        Map<String, Tensor> w = Safetensors.read(p);
        String b = "encoder.layers.encoder_layer_1";
        try (HookedModel m = open(p); NDManager nd = LoupeEngine.get().newBaseManager()) {
            ModelOutput out = m.forward(nd.randomNormal(new Shape(2, 3, 64, 64)), Hooks.cache(b + ".resid_pre", b + ".ln_1"));
            NDArray x = out.cache().get(b + ".resid_pre");
            NDArray centred = x.sub(x.mean(new int[] {2}, true));
            NDArray expected = centred.div(centred.square().mean(new int[] {2}, true).add(0.5f).sqrt())
                    .mul(nd.create(w.get(b + ".ln_1.weight").toFloats())).add(nd.create(w.get(b + ".ln_1.bias").toFloats()));
            VitOracle.close(expected.toFloatArray(), out.cache().get(b + ".ln_1").toFloatArray(), "ln_1 with eps 0.5");
            NDArray standard = centred.div(centred.square().mean(new int[] {2}, true).add(1e-6f).sqrt())
                    .mul(nd.create(w.get(b + ".ln_1.weight").toFloats())).add(nd.create(w.get(b + ".ln_1.bias").toFloats()));
            assertTrue(standard.sub(out.cache().get(b + ".ln_1")).abs().max().getFloat() > 1e-2, "eps 0.5 must make a difference");
        }
    }

    @Test
    void widthWithoutUsualHeadWidthNeedsHeads() throws Exception {
        // timm_small's names with every width 192 made 96 (zeros: only names and shapes matter here)
        Map<String, Tensor> all = Safetensors.read(dir.resolve("timm_small.safetensors"));
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Tensor t : all.values()) {
            long[] s = t.shape();
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] == 192 ? 96 : s[i] == 576 ? 288 : s[i];
            }
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            values.put(t.name(), new float[(int) n]);
            shapes.put(t.name(), s);
        }
        Path p = tmp.resolve("w96.safetensors");
        Safetensors.write(p, values, shapes);
        assertContains(error(p), "w96.safetensors (timm ViT): the number of attention heads is not stored in the weights",
                "the width 96 is not a multiple of 64", "{\"heads\": N}");
        Files.writeString(tmp.resolve("w96.json"), "{\"heads\": 4}");
        try (HookedModel m = open(p)) {
            assertPoint(m, "blocks.2.attn.probs", HookKind.ATTENTION, 4, 65, 65);
        }
    }

    @Test
    void missingQkv() throws Exception {
        Path p = rewrite("timm_small", "noqkv", v -> v.remove("blocks.1.attn.qkv.weight"), Map.of(), "{\"heads\": 6}");
        assertContains(error(p), "noqkv.safetensors does not fit the model", "missing tensor 'blocks.1.attn.qkv.weight' (expected shape [576, 192])");
        p = rewrite("hf_small", "noquery", v -> v.remove("vit.encoder.layer.0.attention.attention.query.bias"), Map.of(), "{\"heads\": 6}");
        assertContains(error(p), "missing tensor 'vit.encoder.layer.0.attention.attention.query.bias' (expected shape [192])");
        p = rewrite("tv_small", "badqkv", v -> { }, Map.of("encoder.layers.encoder_layer_2.self_attention.in_proj_weight", new long[] {192, 192}),
                "{\"heads\": 6}");
        assertContains(error(p), "tensor 'encoder.layers.encoder_layer_2.self_attention.in_proj_weight' has shape [192, 192] but the model needs [576, 192]");
    }

    @Test
    void misShapedPositionEmbedding() throws Exception {
        Path p = rewrite("tv_small", "pos60", v -> { }, Map.of("encoder.pos_embedding", new long[] {1, 60, 192}), "{\"heads\": 6}");
        assertContains(error(p), "pos60.safetensors (torchvision ViT): the position embedding 'encoder.pos_embedding' has 60 tokens",
                "one class token plus a square grid of patches");
        p = rewrite("timm_small", "posw", v -> { }, Map.of("pos_embed", new long[] {1, 65, 100}), "{\"heads\": 6}");
        assertContains(error(p), "the position embedding 'pos_embed' has shape [1, 65, 100] but must be [1, tokens, 192]");
        p = rewrite("hf_small", "nopos", v -> v.remove("vit.embeddings.position_embeddings"), Map.of(), "{\"heads\": 6}");
        assertContains(error(p), "missing tensor 'vit.embeddings.position_embeddings' (expected shape [1, 1 + patches, 192])");
        // a 16x16 grid is fine in itself: then the sidecar's input size must agree with it
        p = rewrite("tv_small", "pos257", v -> { }, Map.of("encoder.pos_embedding", new long[] {1, 257, 192}),
                "{\"heads\": 6, \"input\": {\"height\": 64, \"width\": 64}}");
        assertContains(error(p), "gives the input 3x64x64, but the position embedding fixes it at 3x128x128 (16x16 patches of 8 pixels)");
    }

    @Test
    void missingBlocksAndUnknownTensors() throws Exception {
        Path p = rewrite("tv_small", "gap", v -> v.keySet().removeIf(k -> k.startsWith("encoder.layers.encoder_layer_1.")), Map.of(),
                "{\"heads\": 6}");
        assertContains(error(p), "encoder block [1] missing: the file has 'encoder.layers.encoder_layer_2' but no tensor of "
                + "'encoder.layers.encoder_layer_1'");
        p = rewrite("timm_small", "fcnorm", v -> { }, Map.of("fc_norm.weight", new long[] {192}), "{\"heads\": 6}");
        assertContains(error(p), "unexpected tensor fc_norm.weight");
    }

    @Test
    void attentionInterventionsReachTheValues() throws Exception {
        // zeroing head 2's attention probabilities must zero exactly that head's slice of the context
        try (HookedModel m = open(dir.resolve("timm_small.safetensors")); NDManager nd = LoupeEngine.get().newBaseManager()) {
            NDArray x = nd.randomNormal(new Shape(2, 3, 64, 64));
            ModelOutput plain = m.forward(x, Hooks.cache("blocks.1.attn.context"));
            ModelOutput ablated = m.forward(x, Hooks.builder().intervene("blocks.1.attn.probs", Interventions.zero(2))
                    .cache("blocks.1.attn.context", "blocks.1.attn.probs").build());
            NDArray ctx = ablated.cache().get("blocks.1.attn.context");
            assertEquals(0f, ctx.get(":, :, 64:96").abs().max().getFloat());
            assertEquals(0f, ablated.cache().get("blocks.1.attn.probs").get(":, 2").abs().max().getFloat());
            float[] before = plain.cache().get("blocks.1.attn.context").get(":, :, 0:64").toFloatArray();
            assertArrayEquals(before, ctx.get(":, :, 0:64").toFloatArray(), 1e-5f);
            assertFalse(plain.output().contentEquals(ablated.output()));
        }
    }
}

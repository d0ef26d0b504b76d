package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.testing.Oracle;

/**
 * Small Vision Transformers of every naming convention against PyTorch (oracle/zoo_vit.py, set
 * {@code small}): torchvision's VisionTransformer of an odd size (64x64, patch 8, 3 blocks, 6 heads
 * from the sidecar, width 192) from safetensors and npz; one with torchvision's legacy MLP names and a
 * representation layer; the same network under timm names, Hugging Face ViTForImageClassification
 * names, and as a Hugging Face ViTModel with a pooler and no classifier. Every hook point's
 * activation and gradient, the output and the input gradient must match within 1e-4 of the tensor's
 * scale.
 */
class VitGoldenTest {

    static Path dir;

    @BeforeAll
    static void generate() throws Exception {
        dir = VitOracle.generate("small", "tv_small");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "tv_small.safetensors, tv_small, encoder.layers.encoder_layer_1.self_attention.probs",
            "tv_small.npz, tv_small, encoder.layers.encoder_layer_1.self_attention.probs",
            "tv_repr.safetensors, tv_repr, encoder.layers.encoder_layer_1.self_attention.probs",
            "timm_small.safetensors, timm_small, blocks.1.attn.probs",
            "hf_small.safetensors, hf_small, vit.encoder.layer.1.attention.attention.probs",
            "hf_model.safetensors, hf_model, encoder.layer.0.attention.attention.probs"})
    void matchesPyTorch(String file, String refs, String probs) throws Exception {
        long t0 = System.nanoTime();
        try (HookedModel model = new LoupeRegistry().openModel(dir.resolve(file).toString(), null)) {
            long t1 = System.nanoTime();
            assertEquals("vit", model.info().architecture());
            VitOracle.check(model, Oracle.refs(dir.resolve(refs + "_ref.npz")), probs, file);
            System.out.printf("[vit golden] %s: load %.2f s, check %.2f s%n", file, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        }
    }
}

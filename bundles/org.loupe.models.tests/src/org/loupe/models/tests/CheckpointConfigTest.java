package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Resize;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.djl.LoupeEngine;
import org.loupe.models.io.Tensor;
import org.loupe.models.zoo.KnownCheckpoints;
import org.loupe.testing.Oracle;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Checkpoints as torchvision, timm and Hugging Face publish them (oracle/checkpoints.py, and the
 * zoo's GoogLeNet and ViT-B/16) open with the configuration they were made with and no sidecar,
 * agree with PyTorch, and say which values were read and which guessed.
 */
class CheckpointConfigTest {

    private static final double TOL = 1e-4;
    private static final List<String> LABELS = List.of("circle", "square", "triangle", "star", "cross");

    private static Path dir;
    private static Map<String, Tensor> refs;

    @BeforeAll
    static void generate() throws Exception {
        dir = Oracle.work("checkpoints");
        Oracle.run(dir.resolve("refs.npz"), "checkpoints.py", dir.toString());
        refs = Oracle.refs(dir.resolve("refs.npz"));
    }

    private static HookedModel open(Path p) throws ModelLoadException {
        return new LoupeRegistry().openModel(p.toString(), null);
    }

    /** The model's output on the reference input {@code input}, checked against {@code logits}. */
    private static float[] check(HookedModel model, String input, String logits) {
        try (NDManager m = LoupeEngine.get().newBaseManager()) {
            Tensor in = refs.get(input);
            float[] out = model.forward(m.create(in.toFloats(), new Shape(in.shape())), Hooks.none()).output().toFloatArray();
            double[] d = Rel.assertClose(refs.get(logits).toFloats(), out, TOL, model.info().id() + " vs PyTorch " + logits);
            System.out.printf("[checkpoints] %s vs %s: max rel diff %.2e%n", model.info().id(), logits, d[1]);
            return out;
        }
    }

    private static ConfigValue config(HookedModel m, String name) {
        return m.info().config(name).orElseThrow(() -> new AssertionError(m.info().id() + " reports no '" + name + "': "
                + m.info().configuration()));
    }

    private static Path copy(Path from, String folder, String name) throws Exception {
        Path d = Oracle.work("checkpoints-" + folder);
        try (var s = Files.list(d)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Path to = d.resolve(name);
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    // ------------------------------------------------------------------ Hugging Face

    /** A Hugging Face folder: heads, eps, size, labels from config.json; normalisation and resize from preprocessor_config.json. */
    @Test
    void huggingFaceFolderOpensWithItsConfig() throws Exception {
        try (HookedModel m = open(dir.resolve("vit96/hf"))) {
            check(m, "input32", "logits.hf96");
            assertEquals("hf", m.info().id(), "named after the folder, not model.safetensors");
            assertEquals(new ConfigValue("heads", "4 (of 24)", Origin.CONFIG, "config.json num_attention_heads", null), config(m, "heads"));
            assertEquals(Origin.CONFIG, config(m, "layer_norm_eps").origin());
            assertEquals("1.0E-12", config(m, "layer_norm_eps").value());
            assertEquals(new Normalization(1f, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}), m.inputSpec().normalization());
            assertEquals(Origin.CONFIG, config(m, ModelInfo.NORMALIZATION).origin());
            assertEquals(Resize.STRETCH, m.inputSpec().resize(), "ViTImageProcessor resizes to 32x32 without keeping the aspect ratio");
            assertEquals(LABELS, m.labels());
            assertEquals(List.of(), m.info().warnings(), "nothing that changes the numbers was guessed");
        }
        // the weight file inside the folder, and the config file, open the same model
        for (String f : List.of("model.safetensors", "config.json")) {
            try (HookedModel m = open(dir.resolve("vit96/hf/" + f))) {
                check(m, "input32", "logits.hf96");
                assertEquals(Origin.CONFIG, config(m, "heads").origin(), f);
            }
        }
    }

    /** A config.json of a Hugging Face model Loupe does not rebuild, or of another ViT, is refused with the reason. */
    @Test
    void huggingFaceConfigThatDoesNotFitIsRefused() throws Exception {
        Path w = copy(dir.resolve("vit96/hf/model.safetensors"), "hf-bad", "model.safetensors");
        Files.writeString(w.resolveSibling("config.json"), "{\"model_type\": \"resnet\", \"architectures\": [\"ResNetForImageClassification\"]}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> open(w.getParent()));
        assertTrue(e.getMessage().contains("'resnet'") && e.getMessage().contains("ViTForImageClassification"), e.getMessage());
        Files.writeString(w.resolveSibling("config.json"), "{\"model_type\": \"vit\", \"num_attention_heads\": 4, \"patch_size\": 16}");
        e = assertThrows(ModelLoadException.class, () -> open(w.getParent()));
        assertTrue(e.getMessage().contains("patch_size 16") && e.getMessage().contains("8-pixel patches"), e.getMessage());
    }

    // ------------------------------------------------------------------ timm

    /** timm's config.json: heads from model_args, normalisation, input size and crop_pct from pretrained_cfg, label_names. */
    @Test
    void timmFolderOpensWithItsConfig() throws Exception {
        try (HookedModel m = open(dir.resolve("vit96/timm"))) {
            check(m, "input32", "logits.timm96");
            ConfigValue heads = config(m, "heads");
            assertEquals(Origin.CONFIG, heads.origin());
            assertTrue(heads.detail().contains("model_args.num_heads"), heads.detail());
            assertEquals(Resize.shorterSide(35).with(Resize.Interpolation.BICUBIC), m.inputSpec().resize(),
                    "crop_pct 0.9: floor(32 / 0.9) = 35, bicubic, then a 32x32 centre crop");
            assertEquals(0.5f, m.inputSpec().normalization().mean()[0]);
            assertEquals(Origin.CONFIG, config(m, ModelInfo.NORMALIZATION).origin());
            assertEquals(Origin.CONFIG, config(m, "class token").origin());
            assertEquals(new ConfigValue("interpolation", "bicubic (antialiased)", Origin.CONFIG, "config.json pretrained_cfg.interpolation", null),
                    config(m, "interpolation"));
            assertEquals(LABELS, m.labels());
            assertEquals(List.of(), m.info().warnings());
        }
    }

    /** A timm model that pools by averaging would compute another model with Loupe's class-token ViT: refused. */
    @Test
    void timmGlobalAveragePoolingIsRefused() throws Exception {
        Path w = copy(dir.resolve("vit96/timm/model.safetensors"), "timm-avg", "model.safetensors");
        String config = Files.readString(dir.resolve("vit96/timm/config.json")).replace("\"global_pool\": \"token\"", "\"global_pool\": \"avg\"");
        assertTrue(config.contains("\"avg\""));
        Files.writeString(w.resolveSibling("config.json"), config);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> open(w.getParent()));
        assertTrue(e.getMessage().contains("global_pool 'avg'"), e.getMessage());
    }

    // ------------------------------------------------------------------ torchvision

    /** Width 96 with 4 heads of 24: the weights cannot tell the heads, so Loupe asks for them; with the sidecar it agrees. */
    @Test
    void torchvisionVitWithHeadWidth24NeedsTheHeads() throws Exception {
        Path w = copy(dir.resolve("vit96/tv/vit96.safetensors"), "tv96", "vit96.safetensors");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> open(w));
        assertTrue(e.getMessage().contains("{\"heads\": N}"), e.getMessage());
        Files.writeString(w.resolveSibling("vit96.json"), "{\"heads\": 4}");
        try (HookedModel m = open(w)) {
            check(m, "input32", "logits.tv96");
            assertEquals(new ConfigValue("heads", "4 (of 24)", Origin.CONFIG, "sidecar vit96.json", null), config(m, "heads"));
            assertEquals(Origin.FILE, config(m, "layer_norm_eps").origin(), "torchvision's ViT code fixes eps 1e-6");
            ConfigValue norm = config(m, ModelInfo.NORMALIZATION);
            assertTrue(norm.warns(), "the ImageNet normalisation is a guess that changes the numbers");
            assertEquals("\"input\": {\"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]}", norm.settle());
            assertEquals(List.of(norm), m.info().warnings());
        }
    }

    /** ViT-H's width (1280) has 16 heads of 80, not 1280 / 64 = 20: guessed from the published family, with a warning. */
    @Test
    void vitHWidthGetsSixteenHeadsWithAWarning() throws Exception {
        try (HookedModel m = open(dir.resolve("vith/vit_h_like.safetensors"))) {
            float[] out = check(m, "input28", "logits.vith");
            ConfigValue heads = config(m, "heads");
            assertEquals("16 (of 80)", heads.value());
            assertTrue(heads.warns(), "a guessed head count is a warning");
            assertEquals("\"heads\": 16", heads.settle());
            assertTrue(heads.warning().contains("\"heads\": 16") && heads.detail().contains("ViT-H"), heads.warning());
            float[] wrong = refs.get("logits.vith_20heads").toFloats();
            double change = 0;
            for (int i = 0; i < out.length; i++) {
                change = Math.max(change, Math.abs(out[i] - wrong[i]));
            }
            assertTrue(change > 1e-2, "20 heads would give other logits (max change " + change + "), so the count matters");
        }
    }

    /** torchvision's trained GoogLeNet file (aux tensors): transform_input on, a guess under another name, read from the published name. */
    @Test
    void googlenetWithAuxTensorsTransformsItsInput() throws Exception {
        Path zoo = ZooFiles.ensure("googlenet");
        Map<String, Tensor> ref = Oracle.refs(zoo.resolve("googlenet_ref.npz"));
        Path renamed = copy(zoo.resolve("googlenet.pth"), "googlenet", "my-googlenet.pth");
        try (HookedModel m = open(renamed); NDManager nd = LoupeEngine.get().newBaseManager()) {
            float[] out = m.forward(nd.create(ref.get("input").toFloats(), new Shape(ref.get("input").shape())), Hooks.none()).output().toFloatArray();
            Rel.assertClose(ref.get("logits_transform_input").toFloats(), out, TOL, "googlenet with aux tensors, transform_input on");
            ConfigValue t = config(m, "transform_input");
            assertEquals("true", t.value());
            assertTrue(t.warns() && t.detail().contains("aux1/aux2"), t.toString());
        }
        Path published = renamed.resolveSibling("googlenet-1378be20.pth");
        Files.move(renamed, published);
        try (HookedModel m = open(published)) {
            ConfigValue t = config(m, "transform_input");
            assertEquals(Origin.FILE, t.origin());
            assertTrue(t.detail().contains("GoogLeNet_Weights.IMAGENET1K_V1"), t.detail());
            assertEquals(Resize.shorterSide(256), m.inputSpec().resize());
            assertEquals(Normalization.IMAGENET, m.inputSpec().normalization());
            assertEquals(Origin.FILE, config(m, ModelInfo.NORMALIZATION).origin());
            assertEquals(List.of(), m.info().warnings(), "the published name settles every guess");
            assertEquals("tench", m.labels().get(0));
        }
    }

    /** A ViT-B/16 under torchvision's published name: heads, resize 256 and normalisation from the name, no warnings. */
    @Test
    void vitB16UnderItsPublishedName() throws Exception {
        Path b16 = VitOracle.generate("b16", "vit_b_16");
        Path d = Oracle.work("checkpoints-b16");
        Path link = d.resolve("vit_b_16-c867db91.safetensors");
        Files.deleteIfExists(link);
        Files.createLink(link, b16.resolve("vit_b_16.safetensors"));
        try (HookedModel m = open(link)) {
            assertEquals("vit-b-16", m.info().architecture());
            assertEquals(new ConfigValue("heads", "12 (of 64)", Origin.FILE,
                    "file name vit_b_16-c867db91.safetensors: torchvision's ViT_B_16_Weights.IMAGENET1K_V1", null), config(m, "heads"));
            assertEquals("shorter side to 256, centre crop 224x224", config(m, ModelInfo.RESIZE).value());
            assertEquals(List.of(), m.info().warnings());
            assertFalse(m.info().configuration().stream().anyMatch(c -> c.origin() == Origin.GUESSED && c.name().equals("heads")));
        }
    }

    /** The table of published torchvision files: the ViT sizes' heads, ResNet V1 and V2 by hash, GoogLeNet's transform_input. */
    @Test
    void knownTorchvisionFiles() {
        KnownCheckpoints.Known h = KnownCheckpoints.of("vit_h_14_swag-80465313.pth").orElseThrow();
        assertEquals("vit-h-14", h.architecture());
        assertEquals(16, h.heads());
        assertEquals(518, h.crop());
        assertEquals(16, KnownCheckpoints.of("vit_l_32-c7638314.pth").orElseThrow().heads());
        assertEquals(16, KnownCheckpoints.of("vit_l_16-852ce7e3.pth").orElseThrow().heads());
        assertEquals(12, KnownCheckpoints.of("vit_b_32-d86f8d99.pth").orElseThrow().heads());
        assertEquals(232, KnownCheckpoints.of("resnet50-11ad3fa6.pth").orElseThrow().resize(), "IMAGENET1K_V2");
        assertEquals(256, KnownCheckpoints.of("resnet50-0676ba61.pth").orElseThrow().resize(), "IMAGENET1K_V1");
        assertTrue(KnownCheckpoints.of("googlenet-1378be20.pth").orElseThrow().transformInput());
        assertTrue(KnownCheckpoints.of("googlenet.pth").isEmpty(), "no hash: not a published file name");
        assertTrue(KnownCheckpoints.of("my_vit-c867db91.pth").isEmpty());
    }
}

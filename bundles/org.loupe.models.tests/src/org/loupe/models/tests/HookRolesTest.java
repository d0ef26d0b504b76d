package org.loupe.models.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.TokenLayout;

/**
 * Hook points found by role: the same lookups give the same structure for a ViT under torchvision,
 * timm and Hugging Face names (oracle/zoo_vit.py's small ViT: 64x64 input, 8-pixel patches, 3
 * blocks), with the token layout of a class token and an 8x8 grid; and block outputs in order for
 * the CNN families.
 */
class HookRolesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "tv_small.safetensors, encoder.layers.encoder_layer_, .self_attention.probs",
            "timm_small.safetensors, blocks., .attn.probs",
            "hf_small.safetensors, vit.encoder.layer., .attention.attention.probs"})
    void vitRolesAreTheSameUnderEveryNamingConvention(String file, String block, String probs) throws Exception {
        try (HookedModel m = PartialForwardTest.open(file, "vit")) {
            List<HookPoint> attention = m.hookPoints(HookRole.ATTN_PROBS);
            assertEquals(IntStream.range(0, 3).mapToObj(i -> block + i + probs).toList(), attention.stream().map(HookPoint::name).toList());
            assertEquals(List.of(0, 1, 2), attention.stream().map(HookPoint::block).toList());
            for (HookPoint p : attention) {
                assertEquals(HookKind.ATTENTION, p.kind());
                assertEquals(new TokenLayout(0, 1, 8, 8), p.tokenLayout().orElseThrow());
                assertEquals(65, p.shape().get(1), "tokens: class token + 8x8 patches");
            }
            for (HookRole role : List.of(HookRole.RESID_PRE, HookRole.RESID_MID, HookRole.RESID_POST, HookRole.ATTN_Q, HookRole.ATTN_K,
                    HookRole.ATTN_V, HookRole.ATTN_CONTEXT, HookRole.ATTN_OUT, HookRole.MLP_HIDDEN, HookRole.MLP_OUT)) {
                List<HookPoint> points = m.hookPoints(role);
                assertEquals(List.of(0, 1, 2), points.stream().map(HookPoint::block).toList(), role + " in every block, in order");
                assertTrue(points.stream().allMatch(p -> p.kind() == HookKind.TOKENS && p.tokenLayout().isPresent()), role.toString());
            }
            assertTrue(m.hookPoints(HookRole.RESID_PRE).stream().allMatch(HookPoint::resumable));
            assertTrue(m.hookPoints(HookRole.RESID_MID).stream().allMatch(HookPoint::resumable));
            assertFalse(m.hookPoints(HookRole.ATTN_PROBS).stream().anyMatch(HookPoint::resumable));
            assertEquals(block + "1.resid_post", m.hookPoint(HookRole.RESID_POST, 1).orElseThrow().name());
            assertEquals(1, m.hookPoints(HookRole.EMBEDDED).size());
            assertEquals(1, m.hookPoints(HookRole.PATCH_EMBED).size());
            assertEquals(HookKind.VECTOR, m.hookPoints(HookRole.POOLED).get(0).kind());
            assertEquals(1, m.hookPoints(HookRole.LOGITS).size());
            assertTrue(m.hookPoints(HookRole.OTHER).isEmpty(), "every ViT hook point has a role: " + m.hookPoints(HookRole.OTHER));
        }
    }

    @Test
    void cnnBlockOutputsInOrder() throws Exception {
        try (HookedModel m = PartialForwardTest.open("resnet18", "zoo")) {
            assertEquals(List.of("layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1"),
                    m.hookPoints(HookRole.BLOCK_OUT).stream().map(HookPoint::name).toList());
            assertEquals(List.of("layer1", "layer2", "layer3", "layer4"), m.hookPoints(HookRole.STAGE_OUT).stream().map(HookPoint::name).toList());
            assertEquals(List.of("layer2.0.conv1", "layer2.0.conv2"), m.hookPoints(HookRole.CONV_OUT).stream().filter(p -> p.block() == 2)
                    .map(HookPoint::name).toList());
            assertEquals("layer2.0.downsample", m.hookPoint(HookRole.BRANCH, 2).orElseThrow().name());
            assertEquals("avgpool", m.hookPoints(HookRole.POOLED).get(0).name());
            assertEquals("fc", m.hookPoints(HookRole.LOGITS).get(0).name());
        }
        try (HookedModel m = PartialForwardTest.open("inceptionv1", "zoo")) {
            assertEquals(List.of("mixed3a", "mixed3b", "mixed4a", "mixed4b", "mixed4c", "mixed4d", "mixed4e", "mixed5a", "mixed5b"),
                    m.hookPoints(HookRole.BLOCK_OUT).stream().map(HookPoint::name).toList());
            assertEquals("mixed4a_3x3_pre_relu_conv", m.hookPoints(HookRole.CONV_OUT).stream()
                    .filter(p -> p.block() == 2 && p.name().contains("3x3_pre")).findFirst().orElseThrow().name());
            assertTrue(m.hookPoints(HookRole.OTHER).isEmpty(), "every InceptionV1 hook point has a role: " + m.hookPoints(HookRole.OTHER));
        }
        try (HookedModel m = PartialForwardTest.open("convnext-tiny", "zoo")) {
            assertEquals(3 + 3 + 9 + 3, m.hookPoints(HookRole.BLOCK_OUT).size());
            assertEquals(18, m.hookPoints(HookRole.MLP_HIDDEN).size());
            assertEquals("features.5.8.block.4", m.hookPoint(HookRole.MLP_HIDDEN, 14).orElseThrow().name());
        }
    }
}

package org.loupe.models.vit;

import org.loupe.core.model.Normalization;

/**
 * The naming conventions of Vision Transformer weight files Loupe reads: torchvision's
 * {@code VisionTransformer}, timm's {@code VisionTransformer}, and Hugging Face's {@code ViTModel} /
 * {@code ViTForImageClassification}. A convention fixes the tensor names, the hook-point names, and
 * the defaults the file does not say (LayerNorm epsilon, input normalisation).
 *
 * @since 0.1
 */
public enum VitConvention {

    /** torchvision.models.VisionTransformer ({@code vit_b_16}, ...). */
    TORCHVISION("torchvision", 1e-6f, Normalization.IMAGENET),
    /** timm.models.vision_transformer.VisionTransformer with class-token pooling. */
    TIMM("timm", 1e-6f, Half.VALUE),
    /** transformers ViTModel / ViTForImageClassification. */
    HUGGING_FACE("Hugging Face", 1e-12f, Half.VALUE);

    /** (x - 0.5) / 0.5: the normalisation of Google's ViT checkpoints as timm and Hugging Face publish them. */
    private static final class Half {
        static final Normalization VALUE = new Normalization(1f, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
    }

    private final String displayName;
    private final float layerNormEps;
    private final Normalization normalization;

    VitConvention(String displayName, float layerNormEps, Normalization normalization) {
        this.displayName = displayName;
        this.layerNormEps = layerNormEps;
        this.normalization = normalization;
    }

    /** The name shown in messages. */
    public String displayName() {
        return displayName;
    }

    /** The LayerNorm epsilon the convention's library uses by default. */
    public float layerNormEps() {
        return layerNormEps;
    }

    /** The input normalisation of the convention's usual checkpoints (for 3-channel inputs). */
    public Normalization normalization() {
        return normalization;
    }
}

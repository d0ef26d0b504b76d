package org.loupe.models.vit;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.loupe.models.io.Tensor;

/**
 * The tensor names and hook-point names of one Vision Transformer naming convention.
 *
 * <p>Hook points are named after the module of the convention whose output they are ({@code ln_1},
 * {@code mlp.1}, {@code attn.proj}, {@code intermediate}, ...), so analysts see the names of their
 * PyTorch code. Activations that are no module's output get the enclosing module's name and a
 * suffix: {@code .q}, {@code .k}, {@code .v}, {@code .probs}, {@code .context} inside the attention
 * module, {@code .resid_pre}, {@code .resid_mid}, {@code .resid_post} inside each block,
 * {@code embedded} (patch tokens with class token and position embedding) and {@code pooled} (the
 * class token after the final norm).
 *
 * @param convention the convention
 * @param prefix     Hugging Face's model prefix: {@code "vit."} for ViTForImageClassification, empty
 *                   for ViTModel (always empty for the others)
 * @param legacyMlp  torchvision's MLP named {@code linear_1} / {@code linear_2} (before torchvision
 *                   0.13's {@code 0} / {@code 3})
 *
 * @since 0.1
 */
public record VitNames(VitConvention convention, String prefix, boolean legacyMlp) {

    /** Recognises the convention from the tensor names, or empty if they are no ViT's. */
    public static Optional<VitNames> of(Map<String, Tensor> tensors) {
        if (tensors.containsKey("conv_proj.weight") && tensors.containsKey("class_token")) {
            boolean legacy = tensors.keySet().stream().anyMatch(n -> n.contains(".mlp.linear_1."));
            return Optional.of(new VitNames(VitConvention.TORCHVISION, "", legacy));
        }
        if (tensors.containsKey("patch_embed.proj.weight") && tensors.containsKey("cls_token")) {
            return Optional.of(new VitNames(VitConvention.TIMM, "", false));
        }
        for (String p : new String[] {"vit.", ""}) {
            if (tensors.containsKey(p + "embeddings.patch_embeddings.projection.weight") && tensors.containsKey(p + "embeddings.cls_token")) {
                return Optional.of(new VitNames(VitConvention.HUGGING_FACE, p, false));
            }
        }
        return Optional.empty();
    }

    private boolean tv() {
        return convention == VitConvention.TORCHVISION;
    }

    private boolean timm() {
        return convention == VitConvention.TIMM;
    }

    /** A description such as {@code torchvision ViT} or {@code Hugging Face ViTModel}. */
    public String describe() {
        return switch (convention) {
            case TORCHVISION -> legacyMlp ? "torchvision ViT, MLP named linear_1/linear_2" : "torchvision ViT";
            case TIMM -> "timm ViT";
            case HUGGING_FACE -> prefix.isEmpty() ? "Hugging Face ViTModel" : "Hugging Face ViTForImageClassification";
        };
    }

    // ------------------------------------------------------------------ modules (tensor names add .weight / .bias)

    /** The patch-embedding convolution (also a hook point: its {@code [width, h, w]} output). */
    public String patchConv() {
        return tv() ? "conv_proj" : timm() ? "patch_embed.proj" : prefix + "embeddings.patch_embeddings.projection";
    }

    /** The class-token tensor {@code [1, 1, width]}. */
    public String classToken() {
        return tv() ? "class_token" : timm() ? "cls_token" : prefix + "embeddings.cls_token";
    }

    /** The position-embedding tensor {@code [1, tokens, width]}. */
    public String posEmbedding() {
        return tv() ? "encoder.pos_embedding" : timm() ? "pos_embed" : prefix + "embeddings.position_embeddings";
    }

    /** Matches tensor names inside a block; group 1 is the block index. */
    public Pattern blockPattern() {
        String p = tv() ? "encoder\\.layers\\.encoder_layer_" : timm() ? "blocks\\." : Pattern.quote(prefix + "encoder.layer.");
        return Pattern.compile("^" + p + "(\\d+)\\.");
    }

    /** Block {@code i}. */
    public String block(int i) {
        return (tv() ? "encoder.layers.encoder_layer_" : timm() ? "blocks." : prefix + "encoder.layer.") + i;
    }

    /** The LayerNorm before attention. */
    public String norm1(int i) {
        return block(i) + (tv() ? ".ln_1" : timm() ? ".norm1" : ".layernorm_before");
    }

    /** The attention module (computing q, k, v, probabilities and context). */
    public String attention(int i) {
        return block(i) + (tv() ? ".self_attention" : timm() ? ".attn" : ".attention.attention");
    }

    /** Whether q, k and v come from one fused projection (torchvision, timm) rather than three (Hugging Face). */
    public boolean fusedQkv() {
        return convention != VitConvention.HUGGING_FACE;
    }

    /** The fused q/k/v projection's weight tensor {@code [3 width, width]}. */
    public String qkvWeight(int i) {
        return attention(i) + (tv() ? ".in_proj_weight" : ".qkv.weight");
    }

    /** The fused q/k/v projection's bias tensor {@code [3 width]}. */
    public String qkvBias(int i) {
        return attention(i) + (tv() ? ".in_proj_bias" : ".qkv.bias");
    }

    /** Hugging Face's separate projection {@code query}, {@code key} or {@code value}. */
    public String projection(int i, String which) {
        return attention(i) + "." + which;
    }

    /** The attention output projection. */
    public String attnProj(int i) {
        return tv() ? attention(i) + ".out_proj" : timm() ? attention(i) + ".proj" : block(i) + ".attention.output.dense";
    }

    /** The LayerNorm before the MLP. */
    public String norm2(int i) {
        return block(i) + (tv() ? ".ln_2" : timm() ? ".norm2" : ".layernorm_after");
    }

    /** The MLP's first linear layer. */
    public String fc1(int i) {
        return block(i) + (tv() ? (legacyMlp ? ".mlp.linear_1" : ".mlp.0") : timm() ? ".mlp.fc1" : ".intermediate.dense");
    }

    /** The MLP's second linear layer. */
    public String fc2(int i) {
        return block(i) + (tv() ? (legacyMlp ? ".mlp.linear_2" : ".mlp.3") : timm() ? ".mlp.fc2" : ".output.dense");
    }

    /** The final LayerNorm. */
    public String finalNorm() {
        return tv() ? "encoder.ln" : timm() ? "norm" : prefix + "layernorm";
    }

    /** torchvision's representation layer ({@code heads.pre_logits}); null for the others. */
    public String preLogits() {
        return tv() ? "heads.pre_logits" : null;
    }

    /** The classifier. */
    public String head() {
        return tv() ? "heads.head" : timm() ? "head" : "classifier";
    }

    /** Tensors that may be present but are not used: Hugging Face's pooler and mask token. */
    public boolean ignored(String tensor) {
        return convention == VitConvention.HUGGING_FACE
                && (tensor.startsWith(prefix + "pooler.") || tensor.equals(prefix + "embeddings.mask_token"));
    }

    // ------------------------------------------------------------------ hook points that are no module's output

    /** Patch tokens with the class token and the position embedding: the input of the first block. */
    public String embeddedHook() {
        return tv() ? "encoder.embedded" : timm() ? "embedded" : prefix + "embeddings";
    }

    /** The residual stream entering block {@code i}. */
    public String residPre(int i) {
        return block(i) + ".resid_pre";
    }

    /** The residual stream after the attention of block {@code i} is added. */
    public String residMid(int i) {
        return block(i) + ".resid_mid";
    }

    /** The residual stream leaving block {@code i} (the block's output). */
    public String residPost(int i) {
        return block(i) + ".resid_post";
    }

    /** Queries {@code [T, width]} (heads side by side). */
    public String qHook(int i) {
        return fusedQkv() ? attention(i) + ".q" : projection(i, "query");
    }

    /** Keys {@code [T, width]}. */
    public String kHook(int i) {
        return fusedQkv() ? attention(i) + ".k" : projection(i, "key");
    }

    /** Values {@code [T, width]}. */
    public String vHook(int i) {
        return fusedQkv() ? attention(i) + ".v" : projection(i, "value");
    }

    /** Attention probabilities {@code [heads, T, T]}. */
    public String probsHook(int i) {
        return attention(i) + ".probs";
    }

    /** The attention-weighted values before the output projection {@code [T, width]}. */
    public String contextHook(int i) {
        return attention(i) + ".context";
    }

    /** The MLP hidden layer after GELU {@code [T, mlp]}. */
    public String mlpActHook(int i) {
        return block(i) + (tv() ? (legacyMlp ? ".mlp.act" : ".mlp.1") : timm() ? ".mlp.act" : ".intermediate");
    }

    /** torchvision's tanh after {@code heads.pre_logits}. */
    public String preLogitsActHook() {
        return "heads.act";
    }

    /** The class token after the final norm {@code [width]}: the classifier's input. */
    public String pooledHook() {
        return "pooled";
    }
}

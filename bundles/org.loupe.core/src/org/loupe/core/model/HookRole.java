package org.loupe.core.model;

/**
 * What a hook point is in the network, independent of how the source library names it: the same
 * role (and block index, see {@link HookPoint#block()}) finds "the attention probabilities of block
 * 3" in a torchvision, timm or Hugging Face ViT, and "the output of every residual block" in any
 * ResNet. Analyses look hook points up by role ({@link HookedModel#hookPoints(HookRole)}) instead
 * of parsing names.
 *
 * @since 0.1
 */
public enum HookRole {
    /** The raw output of a convolution (before any norm or nonlinearity). */
    CONV_OUT,
    /** The output of a normalisation layer (batch norm, layer norm, local response norm). */
    NORM,
    /** The output of a nonlinearity (ReLU, GELU, tanh), e.g. a conv unit after its ReLU. */
    ACT,
    /** The output of a pooling layer inside the network. */
    POOL,
    /** The output of one branch of a multi-branch block (an inception branch, a ResNet shortcut). */
    BRANCH,
    /** A residual sum before the block's last nonlinearity (ResNet's {@code add}). */
    SUM,
    /** The output of a block: a residual, inception or ConvNeXt block. */
    BLOCK_OUT,
    /** The output of a stage: a sequence of blocks, a stem or a downsampling layer. */
    STAGE_OUT,
    /** A ViT's patch embedding (the patch convolution's output). */
    PATCH_EMBED,
    /** A ViT's embedded tokens: patch tokens, class token and position embedding. */
    EMBEDDED,
    /** The residual stream entering a transformer block. */
    RESID_PRE,
    /** The residual stream after a transformer block's attention is added. */
    RESID_MID,
    /** The residual stream leaving a transformer block (the block's output). */
    RESID_POST,
    /** The queries of an attention layer, heads side by side. */
    ATTN_Q,
    /** The keys of an attention layer, heads side by side. */
    ATTN_K,
    /** The values of an attention layer, heads side by side. */
    ATTN_V,
    /** The attention probabilities {@code [heads, T, T]}. */
    ATTN_PROBS,
    /** The attention-weighted values before the output projection, heads side by side. */
    ATTN_CONTEXT,
    /** The attention layer's output (after its output projection). */
    ATTN_OUT,
    /** An MLP's first linear layer before its nonlinearity. */
    MLP_PRE,
    /** An MLP's hidden layer after its nonlinearity. */
    MLP_HIDDEN,
    /** An MLP's output (its second linear layer). */
    MLP_OUT,
    /** The pooled features the classifier reads (global average pool, class token). */
    POOLED,
    /** The class scores. */
    LOGITS,
    /** Anything else (a flatten, a hidden linear layer of a small sequential model). */
    OTHER
}

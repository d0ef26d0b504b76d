package org.loupe.analysis.attention;

import java.util.List;
import java.util.Objects;

import org.loupe.core.model.TokenLayout;

/**
 * The attention probabilities of one image in a Vision Transformer: every attention block in
 * forward order, flat {@code [layers, heads, T, T]} (row = query token, column = key token), and
 * optionally the gradient of a class logit with respect to them (same shape). Plain float arrays,
 * so that {@link Rollout} recomputes maps without the engine, for example while an analyst changes
 * the method in the attention editor.
 *
 * <p>The arrays are not copied (they are large: ViT-B/16 holds 5.6 million values per image); do not
 * change them after construction.
 *
 * @param layout    where the tokens come from: class token, registers, patch grid
 * @param layers    the hook-point names of the attention blocks, in forward order
 * @param heads     heads per layer
 * @param tokens    tokens {@code T} (equal to {@code layout.tokens()})
 * @param probs     attention probabilities, {@code layers * heads * T * T} values
 * @param gradProbs d logit(target class) / d probs, same shape, or null if not computed
 *
 * @since 0.1
 */
public record AttentionStack(TokenLayout layout, List<String> layers, int heads, int tokens, float[] probs, float[] gradProbs) {

    /** Validates the shapes and copies the layer list. */
    public AttentionStack {
        Objects.requireNonNull(layout, "layout");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an attention stack needs at least one layer");
        }
        if (heads < 1) {
            throw new IllegalArgumentException("an attention stack needs at least one head, got " + heads);
        }
        if (tokens != layout.tokens()) {
            throw new IllegalArgumentException("the token layout has " + layout.tokens() + " tokens but the attention has " + tokens);
        }
        long n = (long) layers.size() * heads * tokens * tokens;
        if (probs.length != n) {
            throw new IllegalArgumentException("[" + layers.size() + ", " + heads + ", " + tokens + ", " + tokens + "] attention needs " + n
                    + " values, got " + probs.length);
        }
        if (gradProbs != null && gradProbs.length != n) {
            throw new IllegalArgumentException("the attention gradient needs " + n + " values like the attention, got " + gradProbs.length);
        }
    }

    /** The number of layers. */
    public int layerCount() {
        return layers.size();
    }

    /** Whether the gradients of the attention are present (needed by gradient rollout). */
    public boolean hasGradients() {
        return gradProbs != null;
    }

    /** The offset of matrix {@code (layer, head)} in {@link #probs()} and {@link #gradProbs()}. */
    public int offset(int layer, int head) {
        checkLayer(layer);
        if (head < 0 || head >= heads) {
            throw new IllegalArgumentException("head " + head + " is out of range: the model has " + heads + " heads (0.." + (heads - 1) + ")");
        }
        return (layer * heads + head) * tokens * tokens;
    }

    /** A copy of the {@code T x T} attention matrix of {@code layer} and {@code head}, row-major. */
    public float[] matrix(int layer, int head) {
        int o = offset(layer, head);
        float[] m = new float[tokens * tokens];
        System.arraycopy(probs, o, m, 0, m.length);
        return m;
    }

    /** A copy of the gradient of the {@code T x T} attention matrix of {@code layer} and {@code head}. */
    public float[] gradMatrix(int layer, int head) {
        if (gradProbs == null) {
            throw new IllegalArgumentException("this attention stack has no gradients; compute it with gradients (method grad-rollout)");
        }
        int o = offset(layer, head);
        float[] m = new float[tokens * tokens];
        System.arraycopy(gradProbs, o, m, 0, m.length);
        return m;
    }

    void checkLayer(int layer) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IllegalArgumentException("layer " + layer + " is out of range: the model has " + layers.size() + " attention layers (0.."
                    + (layers.size() - 1) + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionStack s && s.layout.equals(layout) && s.layers.equals(layers) && s.heads == heads && s.tokens == tokens
                && java.util.Arrays.equals(s.probs, probs) && java.util.Arrays.equals(s.gradProbs, gradProbs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, layers, heads, tokens);
    }

    @Override
    public String toString() {
        return "AttentionStack[" + layers.size() + " layers, " + heads + " heads, " + tokens + " tokens" + (gradProbs == null ? "" : ", gradients") + "]";
    }
}

package org.loupe.analysis.attention.ui.internal;

import org.loupe.analysis.attention.AttentionResult;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Method;

/**
 * What the attention editor's selectors say: the image of the batch, the method and its settings,
 * the layer and head (raw attention, the head grid, the token's row and column), and the query token.
 *
 * @param image      the image of the batch, {@code 0..size-1}
 * @param method     the method of the main map
 * @param fusion     head fusion (rollout)
 * @param discard    discard ratio in {@code [0, 1)} (rollout)
 * @param startLayer the first layer of the rollouts
 * @param layer      the layer of raw attention, of the head grid and of the token's row and column
 * @param head       the head of raw attention, -1 for the mean over heads
 * @param token      the query token, -1 for the default (the class token, or the mean of the patches)
 */
public record AttentionChoice(int image, Method method, Fusion fusion, double discard, int startLayer, int layer, int head, int token) {

    /** The settings the analysis ran with, on its first image. */
    public static AttentionChoice of(AttentionResult r) {
        return new AttentionChoice(0, r.method(), r.fusion(), r.discard(), r.startLayer(), r.layer(), r.head(), r.token());
    }

    public AttentionChoice withImage(int i) {
        return new AttentionChoice(i, method, fusion, discard, startLayer, layer, head, token);
    }

    public AttentionChoice withMethod(Method m) {
        return new AttentionChoice(image, m, fusion, discard, startLayer, layer, head, token);
    }

    public AttentionChoice withFusion(Fusion f) {
        return new AttentionChoice(image, method, f, discard, startLayer, layer, head, token);
    }

    public AttentionChoice withDiscard(double d) {
        return new AttentionChoice(image, method, fusion, d, startLayer, layer, head, token);
    }

    public AttentionChoice withStartLayer(int l) {
        return new AttentionChoice(image, method, fusion, discard, l, layer, head, token);
    }

    public AttentionChoice withLayer(int l) {
        return new AttentionChoice(image, method, fusion, discard, startLayer, l, head, token);
    }

    public AttentionChoice withHead(int h) {
        return new AttentionChoice(image, method, fusion, discard, startLayer, layer, h, token);
    }

    public AttentionChoice withToken(int t) {
        return new AttentionChoice(image, method, fusion, discard, startLayer, layer, head, t);
    }
}

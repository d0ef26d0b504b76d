package org.loupe.analysis.attention;

import org.loupe.core.model.TokenLayout;

/**
 * Attention maps from an {@link AttentionStack}: attention rollout, gradient rollout, raw attention
 * and its transpose (what attends to a token). Pure functions on float arrays, no engine: fast
 * enough to recompute while an analyst moves a slider.
 *
 * <p>Every function returns a map over the patch grid, {@code [rows * cols]} row-major (see
 * {@link TokenLayout}), scaled so that its maximum is 1 (a map that is zero everywhere stays zero).
 * The class token and register tokens are not part of the map. {@code token} chooses the query
 * token whose row is read: -1 for the default, which is the class token, or for a model without
 * one (mean-pooled) the mean of the patch tokens' rows; any other value is a token index
 * {@code 0..T-1} (for example a patch the analyst clicked, {@link TokenLayout#patchToken}).
 *
 * <p>Since only one row of the layer product is needed, rollouts multiply a row vector through the
 * layers from the last down to {@code startLayer} ({@code O(layers * T^2)}), which equals the row
 * of the full matrix product.
 *
 * @since 0.1
 */
public final class Rollout {

    private Rollout() {
    }

    /**
     * The map of {@code method} with the given settings ({@code fusion}, {@code discard} and
     * {@code startLayer} are used by rollout, {@code startLayer} by gradient rollout, {@code layer}
     * and {@code head} by raw attention).
     */
    public static float[] map(AttentionStack s, Method method, Fusion fusion, double discard, int startLayer, int layer, int head, int token) {
        return switch (method) {
            case ROLLOUT -> rollout(s, fusion, discard, startLayer, token);
            case GRAD_ROLLOUT -> gradRollout(s, startLayer, token);
            case RAW -> raw(s, layer, head, token);
        };
    }

    /**
     * Attention rollout (Abnar &amp; Zuidema 2020). {@code R = I}; for each layer from
     * {@code startLayer} on: fuse the heads; set the lowest {@code discard} fraction of the fused
     * matrix's entries to zero, never an entry of the class token's column (the fraction counts the
     * other entries); {@code A' = (A + I) / 2}; divide each row by its sum; {@code R = A' R}. The
     * map is the query token's row of {@code R} over the patches.
     *
     * @param discard the fraction of entries to drop, in {@code [0, 1)}
     * @throws IllegalArgumentException if an argument is out of range (the message says the range)
     */
    public static float[] rollout(AttentionStack s, Fusion fusion, double discard, int startLayer, int token) {
        if (!(discard >= 0 && discard < 1)) {
            throw new IllegalArgumentException("discard ratio " + discard + " is out of range: it is the fraction of attention entries to drop, in [0, 1)");
        }
        checkStart(s, startLayer);
        int t = s.tokens();
        double[] v = query(s, token);
        double[] a = new double[t * t];
        double[] next = new double[t];
        for (int l = s.layerCount() - 1; l >= startLayer; l--) {
            fuse(s, l, fusion, a);
            discard(a, t, s.layout().classToken(), discard);
            for (int i = 0; i < t; i++) {
                int row = i * t;
                a[row + i] += 1;
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    sum += a[row + j];
                }
                // (A + I) / 2 normalised: the factor 1/2 cancels in the row normalisation
                double scale = sum > 0 ? 1 / sum : 0;
                for (int j = 0; j < t; j++) {
                    a[row + j] *= scale;
                }
            }
            multiply(v, a, t, next, false);
            System.arraycopy(next, 0, v, 0, t);
        }
        return patchMap(s.layout(), v);
    }

    /**
     * Gradient rollout (Chefer et al. 2021, generic attention-model explainability). {@code R = I};
     * for each block from {@code startLayer} on: {@code R += mean_heads((dA * A)+) R}, where
     * {@code dA} is the gradient of the target logit with respect to the attention. The map is the
     * query token's row of {@code R} over the patches.
     *
     * @throws IllegalArgumentException if the stack has no gradients, or an argument is out of range
     */
    public static float[] gradRollout(AttentionStack s, int startLayer, int token) {
        if (!s.hasGradients()) {
            throw new IllegalArgumentException("gradient rollout needs the gradients of the attention; this attention was recorded without them");
        }
        checkStart(s, startLayer);
        int t = s.tokens();
        int tt = t * t;
        double[] v = query(s, token);
        double[] b = new double[tt];
        double[] next = new double[t];
        float[] p = s.probs();
        float[] g = s.gradProbs();
        double w = 1.0 / s.heads();
        for (int l = s.layerCount() - 1; l >= startLayer; l--) {
            java.util.Arrays.fill(b, 0);
            for (int h = 0; h < s.heads(); h++) {
                int o = s.offset(l, h);
                for (int k = 0; k < tt; k++) {
                    double x = (double) g[o + k] * p[o + k];
                    if (x > 0) {
                        b[k] += x;
                    }
                }
            }
            for (int k = 0; k < tt; k++) {
                b[k] *= w;
            }
            multiply(v, b, t, next, true);
            System.arraycopy(next, 0, v, 0, t);
        }
        return patchMap(s.layout(), v);
    }

    /**
     * The raw attention of {@code layer}: the query token's row of head {@code head}'s matrix, or of
     * the mean over heads for {@code head = -1}, over the patches (where the token looks).
     */
    public static float[] raw(AttentionStack s, int layer, int head, int token) {
        int t = s.tokens();
        double[] a = headMatrix(s, layer, head);
        double[] v = query(s, token);
        double[] row = new double[t];
        multiply(v, a, t, row, false);
        return patchMap(s.layout(), row);
    }

    /**
     * What attends to {@code token} in {@code layer}: for every patch, the attention it pays to
     * {@code token} (the token's column of head {@code head}'s matrix, or of the mean over heads for
     * {@code head = -1}). For {@code token = -1}: the class token, or without one the mean of the
     * patch tokens' columns.
     */
    public static float[] attendedBy(AttentionStack s, int layer, int head, int token) {
        int t = s.tokens();
        double[] a = headMatrix(s, layer, head);
        double[] key = query(s, token);
        TokenLayout layout = s.layout();
        double[] col = new double[t];
        for (int i = 0; i < t; i++) {
            double sum = 0;
            for (int j = 0; j < t; j++) {
                sum += a[i * t + j] * key[j];
            }
            col[i] = sum;
        }
        return patchMap(layout, col);
    }

    private static double[] headMatrix(AttentionStack s, int layer, int head) {
        s.checkLayer(layer);
        if (head < -1 || head >= s.heads()) {
            throw new IllegalArgumentException("head " + head + " is out of range: use -1 (mean over heads) or 0.." + (s.heads() - 1));
        }
        int tt = s.tokens() * s.tokens();
        double[] a = new double[tt];
        if (head >= 0) {
            int o = s.offset(layer, head);
            float[] p = s.probs();
            for (int k = 0; k < tt; k++) {
                a[k] = p[o + k];
            }
        } else {
            fuse(s, layer, Fusion.MEAN, a);
        }
        return a;
    }

    /** The fused heads of {@code layer} into {@code out}. */
    private static void fuse(AttentionStack s, int layer, Fusion fusion, double[] out) {
        int tt = s.tokens() * s.tokens();
        float[] p = s.probs();
        int o0 = s.offset(layer, 0);
        for (int k = 0; k < tt; k++) {
            out[k] = p[o0 + k];
        }
        for (int h = 1; h < s.heads(); h++) {
            int o = s.offset(layer, h);
            switch (fusion) {
                case MEAN -> {
                    for (int k = 0; k < tt; k++) {
                        out[k] += p[o + k];
                    }
                }
                case MAX -> {
                    for (int k = 0; k < tt; k++) {
                        out[k] = Math.max(out[k], p[o + k]);
                    }
                }
                case MIN -> {
                    for (int k = 0; k < tt; k++) {
                        out[k] = Math.min(out[k], p[o + k]);
                    }
                }
            }
        }
        if (fusion == Fusion.MEAN) {
            double w = 1.0 / s.heads();
            for (int k = 0; k < tt; k++) {
                out[k] *= w;
            }
        }
    }

    /** Zeroes the lowest {@code ratio} fraction of the entries outside column {@code keepColumn} (-1: none kept). */
    private static void discard(double[] a, int t, int keepColumn, double ratio) {
        int candidates = keepColumn < 0 ? t * t : t * t - t;
        int k = (int) Math.floor(ratio * candidates);
        if (k == 0) {
            return;
        }
        double[] values = new double[candidates];
        int n = 0;
        for (int i = 0; i < t * t; i++) {
            if (i % t != keepColumn) {
                values[n++] = a[i];
            }
        }
        double threshold = Select.kth(values, k - 1);
        int below = 0;
        for (int i = 0; i < t * t; i++) {
            if (i % t != keepColumn && a[i] < threshold) {
                below++;
            }
        }
        int ties = k - below;
        for (int i = 0; i < t * t; i++) {
            if (i % t == keepColumn) {
                continue;
            }
            if (a[i] < threshold) {
                a[i] = 0;
            } else if (a[i] == threshold && ties > 0) {
                a[i] = 0;
                ties--;
            }
        }
    }

    /** {@code out = v M} (plus {@code v} if {@code addIdentity}): {@code out_j = sum_i v_i M_ij}. */
    private static void multiply(double[] v, double[] m, int t, double[] out, boolean addIdentity) {
        if (addIdentity) {
            System.arraycopy(v, 0, out, 0, t);
        } else {
            java.util.Arrays.fill(out, 0);
        }
        for (int i = 0; i < t; i++) {
            double vi = v[i];
            if (vi == 0) {
                continue;
            }
            int row = i * t;
            for (int j = 0; j < t; j++) {
                out[j] += vi * m[row + j];
            }
        }
    }

    /** The query row selector: one-hot for a token, the class token by default, else the mean over patches. */
    private static double[] query(AttentionStack s, int token) {
        TokenLayout layout = s.layout();
        int t = s.tokens();
        if (token < -1 || token >= t) {
            throw new IllegalArgumentException("token " + token + " is out of range: use -1 (the class token, or the mean over patches) or 0.."
                    + (t - 1) + " (" + layout.prefixTokens() + " prefix tokens, then the " + layout.rows() + "x" + layout.cols() + " patches row by row)");
        }
        double[] v = new double[t];
        if (token >= 0) {
            v[token] = 1;
        } else if (layout.hasClassToken()) {
            v[layout.classToken()] = 1;
        } else {
            double w = 1.0 / layout.patches();
            for (int p = layout.prefixTokens(); p < t; p++) {
                v[p] = w;
            }
        }
        return v;
    }

    private static void checkStart(AttentionStack s, int startLayer) {
        if (startLayer < 0 || startLayer >= s.layerCount()) {
            throw new IllegalArgumentException("start layer " + startLayer + " is out of range: the model has " + s.layerCount()
                    + " attention layers (0.." + (s.layerCount() - 1) + ")");
        }
    }

    /** The patch entries of {@code v}, scaled to maximum 1. */
    private static float[] patchMap(TokenLayout layout, double[] v) {
        int n = layout.patches();
        double max = 0;
        for (int p = 0; p < n; p++) {
            max = Math.max(max, v[layout.prefixTokens() + p]);
        }
        float[] map = new float[n];
        double scale = max > 0 ? 1 / max : 1;
        for (int p = 0; p < n; p++) {
            map[p] = (float) (v[layout.prefixTokens() + p] * scale);
        }
        return map;
    }
}

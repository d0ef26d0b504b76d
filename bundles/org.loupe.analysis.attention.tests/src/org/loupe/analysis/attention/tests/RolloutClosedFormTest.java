package org.loupe.analysis.attention.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Rollout;
import org.loupe.core.model.TokenLayout;

/**
 * Rollouts of planted attention whose result is known in closed form. With {@code Q = 1 e_p^T}
 * (every token attends only to token p; {@code Q^2 = Q}), rollout of {@code A = (I + Q) / 2} over L
 * layers is {@code ((3I + Q) / 4)^L = (3/4)^L I + (1 - (3/4)^L) Q}, and gradient rollout with
 * gradient 1 of {@code A = Q} is {@code (I + Q)^L = I + (2^L - 1) Q}.
 */
class RolloutClosedFormTest {

    static final double EPS = 1e-6;

    /** {@code layers x heads} copies of {@code matrix}. */
    static AttentionStack stack(TokenLayout layout, int layers, int heads, float[] matrix, float[] grad) {
        int tt = matrix.length;
        float[] p = new float[layers * heads * tt];
        float[] g = grad == null ? null : new float[p.length];
        for (int k = 0; k < layers * heads; k++) {
            System.arraycopy(matrix, 0, p, k * tt, tt);
            if (g != null) {
                System.arraycopy(grad, 0, g, k * tt, tt);
            }
        }
        List<String> names = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            names.add("blocks." + l + ".attn.probs");
        }
        return new AttentionStack(layout, names, heads, layout.tokens(), p, g);
    }

    /** Row i: {@code self} on token i, {@code 1 - self} on token p (all on p for i = p). */
    static float[] attendTo(int t, int p, float self) {
        float[] a = new float[t * t];
        for (int i = 0; i < t; i++) {
            a[i * t + i] += self;
            a[i * t + p] += 1 - self;
        }
        return a;
    }

    static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    @Test
    void identityAttentionLeavesTheClassTokenAlone() {
        TokenLayout layout = TokenLayout.classTokenAndGrid(2, 2);
        AttentionStack s = stack(layout, 3, 2, attendTo(5, 0, 1), null);
        for (Fusion f : Fusion.values()) {
            assertArrayEquals(new float[4], Rollout.rollout(s, f, 0, 0, -1), "the class token's row of I has nothing on the patches");
        }
        assertArrayEquals(new float[] {0, 0, 1, 0}, Rollout.rollout(s, Fusion.MEAN, 0, 0, layout.patchToken(1, 0)), "a patch sees itself");
    }

    @Test
    void rolloutOfAttentionToOnePatch() {
        TokenLayout layout = TokenLayout.classTokenAndGrid(3, 3);
        int p = layout.patchToken(1, 2);
        int q = layout.patchToken(2, 0);
        int layers = 3;
        AttentionStack s = stack(layout, layers, 4, attendTo(10, p, 0.5f), null);
        float[] cls = Rollout.rollout(s, Fusion.MEAN, 0, 0, -1);
        float[] expected = new float[9];
        expected[p - 1] = 1;
        assertArrayEquals(expected, cls, (float) EPS, "the class token reaches only p");

        double stay = Math.pow(0.75, layers);
        float[] fromQ = Rollout.rollout(s, Fusion.MAX, 0, 0, q);
        expected[q - 1] = (float) (stay / (1 - stay));
        assertArrayEquals(expected, fromQ, (float) EPS, "(3/4)^L on q, 1 - (3/4)^L on p, scaled to max 1");

        float[] fromLayer2 = Rollout.rollout(s, Fusion.MIN, 0, 2, q);
        expected[q - 1] = (float) (0.75 / 0.25);
        expected[p - 1] = 1;
        float max = Math.max(expected[q - 1], 1);
        for (int i = 0; i < 9; i++) {
            expected[i] /= max;
        }
        assertArrayEquals(expected, fromLayer2, (float) EPS, "one layer from start layer 2: 3/4 on q, 1/4 on p");
    }

    @Test
    void gradientRolloutOfAttentionToOnePatch() {
        TokenLayout layout = TokenLayout.classTokenAndGrid(2, 3);
        int p = layout.patchToken(0, 1);
        int q = layout.patchToken(1, 2);
        int layers = 4;
        int t = layout.tokens();
        AttentionStack s = stack(layout, layers, 2, attendTo(t, p, 0), ones(t * t));
        float[] expected = new float[6];
        expected[p - 1] = 1;
        assertArrayEquals(expected, Rollout.gradRollout(s, 0, -1), (float) EPS);
        expected[q - 1] = (float) (1 / (Math.pow(2, layers) - 1));
        assertArrayEquals(expected, Rollout.gradRollout(s, 0, q), (float) EPS, "1 on q, 2^L - 1 on p");

        AttentionStack negative = stack(layout, layers, 2, attendTo(t, p, 0), negate(ones(t * t)));
        float[] onlyQ = new float[6];
        onlyQ[q - 1] = 1;
        assertArrayEquals(onlyQ, Rollout.gradRollout(negative, 0, q), (float) EPS, "negative relevance is clamped away: R stays I");
    }

    static float[] negate(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = -a[i];
        }
        return a;
    }

    @Test
    void meanPooledModelsUseTheMeanPatchRow() {
        TokenLayout layout = new TokenLayout(-1, 0, 2, 2);
        int p = 2;
        int layers = 2;
        AttentionStack s = stack(layout, layers, 1, attendTo(4, p, 0), null);
        // mean over patch rows of 2^-L I + (1 - 2^-L) Q
        double self = Math.pow(0.5, layers) / 4;
        double onP = 1 - Math.pow(0.5, layers) + self;
        float[] expected = {(float) (self / onP), (float) (self / onP), 1, (float) (self / onP)};
        assertArrayEquals(expected, Rollout.rollout(s, Fusion.MEAN, 0, 0, -1), (float) EPS);
    }

    @Test
    void registersAreLeftOutAndNonSquareGridsKeepTheirShape() {
        // class token 0, two registers, a 2x3 grid: every token attends to register 2
        TokenLayout layout = new TokenLayout(0, 3, 2, 3);
        int t = layout.tokens();
        AttentionStack s = stack(layout, 2, 2, attendTo(t, 2, 0), null);
        assertArrayEquals(new float[6], Rollout.raw(s, 1, -1, -1), "the register gets everything and is not on the map");
        int patch = layout.patchToken(1, 1);
        float[] m = Rollout.attendedBy(stack(layout, 2, 2, attendTo(t, patch, 0.25f), null), 0, 0, patch);
        float[] expected = new float[6];
        java.util.Arrays.fill(expected, 0.75f);
        expected[patch - layout.prefixTokens()] = 1;
        assertArrayEquals(expected, m, (float) EPS, "every other patch pays 3/4 to the planted patch, which pays 1 to itself");
    }

    @Test
    void rawAttentionAndHeads() {
        TokenLayout layout = TokenLayout.classTokenAndGrid(1, 2);
        // head 0: the class token attends to patch 1 (token 1); head 1: to patch 2 (token 2)
        float[] h0 = {0, 1, 0, 0, 1, 0, 0, 0, 1};
        float[] h1 = {0, 0, 1, 0, 1, 0, 0, 0, 1};
        float[] probs = new float[18];
        System.arraycopy(h0, 0, probs, 0, 9);
        System.arraycopy(h1, 0, probs, 9, 9);
        AttentionStack s = new AttentionStack(layout, List.of("a"), 2, 3, probs, null);
        assertArrayEquals(new float[] {1, 0}, Rollout.raw(s, 0, 0, -1));
        assertArrayEquals(new float[] {0, 1}, Rollout.raw(s, 0, 1, -1));
        assertArrayEquals(new float[] {1, 1}, Rollout.raw(s, 0, -1, -1), "mean of heads: 1/2 each, scaled");
        assertArrayEquals(h1, s.matrix(0, 1));
        assertArrayEquals(new float[] {1, 0}, Rollout.attendedBy(s, 0, 0, 1), "patch 1 attends to itself, patch 2 does not; the class token's row is not on the map");
        // max fusion keeps both patches at 1; min fusion keeps only the diagonal: the class token keeps itself
        assertArrayEquals(new float[] {1, 1}, Rollout.rollout(s, Fusion.MAX, 0, 0, -1));
        assertArrayEquals(new float[2], Rollout.rollout(s, Fusion.MIN, 0, 0, -1));
    }

    @Test
    void discardDropsTheLowestEntriesButNeverTheClassColumn() {
        TokenLayout layout = TokenLayout.classTokenAndGrid(1, 2);
        // class row: 0.05 to itself, 0.15 to patch 1, 0.8 to patch 2; patches attend to themselves mostly
        float[] a = {0.05f, 0.15f, 0.8f, 0.1f, 0.7f, 0.2f, 0.3f, 0.3f, 0.4f};
        AttentionStack s = new AttentionStack(layout, List.of("a"), 1, 3, a, null);
        // 6 entries outside the class column: 0.15 0.8 0.7 0.2 0.3 0.4; discard 0.5 drops the 3 lowest (0.15, 0.2, 0.3)
        // class row becomes (0.05, 0, 0.8) + e0 -> normalised (1.05, 0, 0.8) / 1.85: the map (0, 0.8/1.85) -> (0, 1)
        assertArrayEquals(new float[] {0, 1}, Rollout.rollout(s, Fusion.MEAN, 0.5, 0, -1), (float) EPS);
        // without discard: (1.05, 0.15, 0.8) / 2 -> (0.15, 0.8) -> (0.1875, 1)
        assertArrayEquals(new float[] {0.1875f, 1}, Rollout.rollout(s, Fusion.MEAN, 0, 0, -1), (float) EPS);
        // patch 2's row (0.3, 0.3, 0.4): its class-column entry 0.3 survives while its 0.3 to patch 1 is dropped
        // (0.3, 0, 0.4) + e2 -> (0.3, 0, 1.4): map (0, 1)
        assertArrayEquals(new float[] {0, 1}, Rollout.rollout(s, Fusion.MEAN, 0.5, 0, 2), (float) EPS);
    }

    @Test
    void badArgumentsSayWhatIsAllowed() {
        TokenLayout layout = TokenLayout.classTokenAndGrid(2, 2);
        AttentionStack s = stack(layout, 3, 2, attendTo(5, 1, 0.5f), null);
        assertMessage(() -> Rollout.rollout(s, Fusion.MEAN, 1.0, 0, -1), "discard ratio 1.0 is out of range", "[0, 1)");
        assertMessage(() -> Rollout.rollout(s, Fusion.MEAN, -0.1, 0, -1), "discard ratio -0.1 is out of range");
        assertMessage(() -> Rollout.rollout(s, Fusion.MEAN, 0, 3, -1), "start layer 3 is out of range", "3 attention layers (0..2)");
        assertMessage(() -> Rollout.raw(s, 5, 0, -1), "layer 5 is out of range", "(0..2)");
        assertMessage(() -> Rollout.raw(s, 0, 2, -1), "head 2 is out of range", "0..1");
        assertMessage(() -> Rollout.attendedBy(s, 0, -2, -1), "head -2 is out of range");
        assertMessage(() -> Rollout.raw(s, 0, 0, 5), "token 5 is out of range", "0..4", "2x2 patches");
        assertMessage(() -> Rollout.gradRollout(s, 0, -1), "gradient rollout needs the gradients");
        assertMessage(() -> new AttentionStack(layout, List.of("a"), 2, 5, new float[49], null), "needs 50 values, got 49");
        assertMessage(() -> new AttentionStack(layout, List.of("a"), 2, 6, new float[72], null), "the token layout has 5 tokens but the attention has 6");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable e, String... fragments) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(x.getMessage().contains(f), "expected '" + f + "' in: " + x.getMessage());
        }
        assertEquals(-1, x.getMessage().indexOf("Exception"), x.getMessage());
    }
}

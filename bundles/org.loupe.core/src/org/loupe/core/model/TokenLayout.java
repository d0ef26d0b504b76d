package org.loupe.core.model;

import java.util.stream.IntStream;

/**
 * Where the tokens of a token hook point come from: an optional class token, other prefix tokens
 * (registers, a distillation token) and the image patches on a {@code rows x cols} grid, in that
 * order ({@code [prefix..., patches row by row]}). With it an analysis maps a token to its patch
 * and a patch map back to the image without knowing the model's naming or reshape conventions.
 *
 * @param classToken   index of the class token, or -1 if the model has none (mean-pooled models)
 * @param prefixTokens number of tokens before the first patch (class token and registers)
 * @param rows         patch-grid rows
 * @param cols         patch-grid columns
 *
 * @since 0.1
 */
public record TokenLayout(int classToken, int prefixTokens, int rows, int cols) {

    /** Validates the fields. */
    public TokenLayout {
        if (prefixTokens < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a token layout needs prefix >= 0 and a grid of at least 1x1, got prefix " + prefixTokens
                    + ", grid " + rows + "x" + cols);
        }
        if (classToken < -1 || classToken >= prefixTokens) {
            throw new IllegalArgumentException("class token " + classToken + " must be -1 or one of the " + prefixTokens + " prefix tokens");
        }
    }

    /** The usual ViT layout: a class token at 0, then a {@code rows x cols} grid of patches. */
    public static TokenLayout classTokenAndGrid(int rows, int cols) {
        return new TokenLayout(0, 1, rows, cols);
    }

    /** Whether there is a class token. */
    public boolean hasClassToken() {
        return classToken >= 0;
    }

    /** The number of tokens: prefix tokens plus patches. */
    public int tokens() {
        return prefixTokens + rows * cols;
    }

    /** The number of patch tokens. */
    public int patches() {
        return rows * cols;
    }

    /** The token index of the patch at {@code (row, col)}. */
    public int patchToken(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IllegalArgumentException("patch (" + row + ", " + col + ") is outside the " + rows + "x" + cols + " grid");
        }
        return prefixTokens + row * cols + col;
    }

    /** Whether token {@code t} is a patch. */
    public boolean isPatch(int t) {
        return t >= prefixTokens && t < tokens();
    }

    /** The prefix tokens that are not the class token (register tokens), in order. */
    public int[] registerTokens() {
        return IntStream.range(0, prefixTokens).filter(t -> t != classToken).toArray();
    }
}

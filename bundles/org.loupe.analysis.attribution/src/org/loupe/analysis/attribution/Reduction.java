package org.loupe.analysis.attribution;

import ai.djl.ndarray.NDArray;

/**
 * How an attribution's channels become one value per pixel.
 *
 * @since 0.1
 */
public enum Reduction {
    /** The largest absolute value over the channels (Simonyan et al.'s saliency map). */
    MAX_ABS,
    /** The sum over the channels, signed (integrated gradients, gradient x input, occlusion). */
    SUM,
    /** The largest value over the channels (maps that are never negative: SquareGrad, VarGrad). */
    MAX,
    /** The mean over the channels (occlusion and RISE, whose value is the same in every channel). */
    MEAN;

    /** {@code [N, C, H, W]} to {@code [N, H, W]}. */
    public NDArray apply(NDArray attribution) {
        return switch (this) {
            case MAX_ABS -> {
                try (NDArray abs = attribution.abs()) {
                    yield abs.max(new int[] {1});
                }
            }
            case SUM -> attribution.sum(new int[] {1});
            case MAX -> attribution.max(new int[] {1});
            case MEAN -> attribution.mean(new int[] {1});
        };
    }
}

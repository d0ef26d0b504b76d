package org.loupe.analysis.featureviz;

import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * An image parameterisation: the tensors an optimiser changes (its leaves) and how they become an
 * image batch {@code [N, C, H, W]}. Pieces compose: a spatial parameterisation ({@link PixelImage},
 * {@link FourierImage}, {@link MacoImage}) gives unbounded values, {@link ValidRgb} maps them into
 * [0, 1] (optionally through Lucent's colour decorrelation). The leaves belong to the manager the
 * parameterisation was made in; {@link #render()} computes from them with NDArray operations, so
 * gradients reach them (see {@code org.loupe.core.model.Gradients#of}).
 *
 * @since 0.1
 */
public interface ImageParam {

    /** The tensors to optimise. */
    List<NDArray> leaves();

    /** The image batch computed from the leaves, {@code [N, C, H, W]}. */
    NDArray render();

    /** Batch size, channels, height and width of {@link #render()}. */
    long[] shape();
}

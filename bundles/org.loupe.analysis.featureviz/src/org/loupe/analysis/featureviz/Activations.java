package org.loupe.analysis.featureviz;

import ai.djl.ndarray.NDArray;

/**
 * What an {@link Objective} reads in one optimisation step: hook-point activations and the image.
 *
 * @since 0.1
 */
public interface Activations {

    /** The batched activation at hook point {@code name} (one the objective declared in {@link Objective#layers()}). */
    NDArray layer(String name);

    /** The image batch {@code [N, C, H, W]} in [0, 1], as the parameterisation renders it (before transforms). */
    NDArray image();
}

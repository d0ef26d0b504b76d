package org.loupe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What a forward pass returns.
 *
 * @param output the model's output (logits for classifiers), batched
 * @param cache  the activations recorded at hook points
 *
 * @since 0.1
 */
public record ModelOutput(NDArray output, ActivationCache cache) {
}

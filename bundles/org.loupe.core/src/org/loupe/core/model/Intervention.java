package org.loupe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Changes an activation as it passes a hook point: ablate, patch from another run, add a direction.
 * See {@link Interventions} for the standard ones.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Intervention {

    /**
     * Returns the activation to pass on.
     *
     * @param activation the batched activation at the hook point
     * @param point      the hook point, for its kind and shape
     */
    NDArray apply(NDArray activation, HookPoint point);
}

package org.loupe.analysis.featureviz;

import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;

/**
 * A random, differentiable change applied to the image batch {@code [N, C, H, W]} before each
 * forward pass of an optimisation (so that what is found is robust, not adversarial noise). Every
 * random draw comes from the step's {@link Draws}, which come from the run's seed. Transforms
 * compose with {@link #then}; Lucent's standard set is {@link Transforms#lucent()}.
 *
 * @since 0.1
 */
public interface Transform {

    /**
     * The random source and the progress of an optimisation step.
     *
     * @param random   where every draw of the step comes from
     * @param progress how far the optimisation is, from 0 (first step) to 1 (last)
     */
    record Draws(Random random, double progress) {
    }

    /** Applies the transform to {@code x}. */
    NDArray apply(NDArray x, Draws draws);

    /** This transform, then {@code next}. */
    default Transform then(Transform next) {
        return compose(List.of(this, next));
    }

    /** The transforms in order. */
    static Transform compose(List<Transform> transforms) {
        List<Transform> all = List.copyOf(transforms);
        return (x, d) -> {
            NDArray y = x;
            for (Transform t : all) {
                y = t.apply(y, d);
            }
            return y;
        };
    }

    /** No change. */
    static Transform none() {
        return (x, d) -> x;
    }
}

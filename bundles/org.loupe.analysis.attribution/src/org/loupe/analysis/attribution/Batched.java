package org.loupe.analysis.attribution;

import org.loupe.core.model.HookedModel;

/**
 * A method that batches its many passes (noisy samples, path points, windows, masks) under a memory budget.
 *
 * @since 0.1
 */
public interface Batched {

    /** The input rows one forward (and backward) pass of this method holds on {@code model}. */
    int rowsPerPass(HookedModel model);
}

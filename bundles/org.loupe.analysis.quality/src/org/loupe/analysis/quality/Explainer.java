package org.loupe.analysis.quality;

import java.util.List;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;

/**
 * A way of explaining a model's decision on a batch of images: one map per image, saying how much
 * each pixel (or patch) matters for the class asked about. Attribution methods (saliency,
 * integrated gradients, occlusion, Grad-CAM...) and attention methods (rollout...) are all
 * explainers, so every quality metric and the explanation benchmark can score any of them alike.
 *
 * @since 0.1
 */
public interface Explainer {

    /** A short human-readable name, shown in leaderboards ("integrated gradients, 32 steps"). */
    String name();

    /**
     * Whether this explainer needs gradients through the model (false for gradient-free methods
     * such as occlusion and RISE, which also work on black-box models).
     */
    default boolean needsGradients() {
        return true;
    }

    /**
     * The maps for a batch.
     *
     * @param model   the model to explain
     * @param input   the model's input, {@code (N, 3, H, W)}, already normalised as the model expects
     * @param classes the class to explain for each of the {@code N} images
     * @return {@code N} maps, higher meaning more relevant; any grid size (metrics resample them to
     *         the image), not necessarily normalised
     * @throws AnalysisException when the method cannot run on this model (the message says why)
     */
    List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) throws AnalysisException;
}

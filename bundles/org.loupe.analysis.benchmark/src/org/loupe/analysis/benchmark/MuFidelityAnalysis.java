package org.loupe.analysis.benchmark;

import org.loupe.analysis.quality.MuFidelity;
import org.loupe.core.analysis.Param;

/**
 * MuFidelity (Xplique's definition, seeded) of one method, against the baselines: higher is better.
 *
 * @since 0.1
 */
public class MuFidelityAnalysis extends MetricAnalysis<MuFidelityAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param method         the explanation method
     * @param grid           cells per side
     * @param subsetFraction chance a cell is removed
     * @param samples        random subsets per image
     * @param baseline       value of removed pixels in the model's input space
     * @param batchSize      images per pass of the method
     */
    public record Params(@Param("explanation method (saliency, attention-rollout, gradient-rollout, ...)") String method,
            @Param(value = "cells per side of the grid of removable cells", min = 1, max = 1024) int grid,
            @Param(value = "chance each cell is removed, in (0, 1)", min = 0, max = 1) double subsetFraction,
            @Param(value = "random subsets per image", min = 2, max = 100000) int samples,
            @Param("value removed pixels take, in the model's normalised input space") double baseline,
            @Param(value = "images per pass of the method", min = 1, max = 1024) int batchSize) implements MetricParams {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("saliency", 9, 0.2, 200, 0, 16);
    }

    @Override
    protected ImageMetric metric(Params p) {
        return Metrics.muFidelity(new MuFidelity.Settings(p.grid(), p.subsetFraction(), p.samples(), (float) p.baseline()));
    }
}

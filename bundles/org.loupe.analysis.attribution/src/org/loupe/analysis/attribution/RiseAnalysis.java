package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.model.HookedModel;

/**
 * The {@code rise} analysis: {@link Rise} maps of the images; works on black-box models.
 *
 * @since 0.1
 */
public class RiseAnalysis extends AttributionAnalysis<RiseAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param masks       random masks
     * @param grid        cells per side of a mask
     * @param keep        probability a cell is kept
     * @param seed        the masks' seed
     * @param baseline    what shows where a mask hides the image (see {@link Baseline})
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per call
     * @param memoryMb    memory one pass may use; the masks are batched under it
     */
    public record Params(@Param(value = "random masks", min = 1, max = 1000000) int masks,
            @Param(value = "cells per side of a mask", min = 1, max = 1024) int grid,
            @Param(value = "probability a cell is kept, in (0, 1]", min = 0, max = 1) double keep,
            @Param("the masks' seed") long seed,
            @Param("black, zero, blurred[:SIGMA], noise[:SEED] or image:PATH") String baseline,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per call", min = 1, max = 1024) int batchSize,
            @Param(value = "memory one pass may use, in MB", min = 1) int memoryMb) implements AttributionAnalysis.Common, Validating {

        @Override
        public void validate() {
            if (!(keep > 0)) {
                throw new IllegalArgumentException("parameter 'keep' must be in (0, 1] (the probability a cell is kept), got " + keep);
            }
            Baseline.parse(baseline);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(4000, 7, 0.5, 0, "black", -1, 8, Explainers.MEMORY_MB);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return new Rise(p.masks(), p.grid(), p.keep(), p.seed(), Baseline.parse(p.baseline()), p.memoryMb());
    }
}

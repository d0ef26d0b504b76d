package org.loupe.analysis.benchmark;

import org.loupe.analysis.quality.CausalFidelity;
import org.loupe.core.analysis.Param;

/**
 * Deletion or insertion AUC (Xplique's definition) of one method, against the baselines.
 *
 * @since 0.1
 */
public abstract class CausalAnalysis extends MetricAnalysis<CausalAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param method      the explanation method
     * @param steps       perturbation steps (curve points - 1)
     * @param maxFraction fraction of pixels flipped at the last step
     * @param baseline    value of the removed pixels in the model's (normalised) input space
     * @param batchSize   images per pass of the method
     */
    public record Params(@Param("explanation method (saliency, attention-rollout, gradient-rollout, ...)") String method,
            @Param(value = "perturbation steps; the curve has steps + 1 points", min = 1, max = 100000) int steps,
            @Param(value = "fraction of the pixels flipped at the last step, in (0, 1]", min = 0, max = 1) double maxFraction,
            @Param("value of deleted (or not yet inserted) pixels, in the model's normalised input space") double baseline,
            @Param(value = "images per pass of the method", min = 1, max = 1024) int batchSize) implements MetricParams {
    }

    /** Deletion or insertion. */
    protected abstract CausalFidelity.Mode mode();

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("saliency", 10, 1, 0, 16);
    }

    @Override
    protected ImageMetric metric(Params p) {
        return Metrics.causal(new CausalFidelity.Settings(mode(), p.steps(), p.maxFraction(), (float) p.baseline()));
    }
}

package org.loupe.analysis.benchmark;

import org.loupe.core.analysis.Param;

/**
 * ROAD (Rong et al., as Quantus; most- and least-relevant first) of one method, against the baselines.
 *
 * @since 0.1
 */
public class RoadAnalysis extends MetricAnalysis<RoadAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param method      the explanation method
     * @param percentStep spacing of the percentages removed (2: Quantus' 1, 3, ..., 99)
     * @param noise       imputation noise
     * @param batchSize   images per pass of the method
     */
    public record Params(@Param("explanation method (saliency, attention-rollout, gradient-rollout, ...)") String method,
            @Param(value = "spacing of the percentages of pixels removed; 2 gives Quantus' 1, 3, ..., 99", min = 1, max = 99) int percentStep,
            @Param(value = "standard deviation of the noise added to imputed pixels (Quantus: 0.01)", min = 0) double noise,
            @Param(value = "images per pass of the method", min = 1, max = 1024) int batchSize) implements MetricParams {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("saliency", 2, 0.01, 16);
    }

    @Override
    protected ImageMetric metric(Params p) {
        return Metrics.road(Metrics.percentages(p.percentStep()), p.noise());
    }
}

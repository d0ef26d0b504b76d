package org.loupe.analysis.benchmark;

import java.util.List;
import java.util.Random;

import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.analysis.Param;

/**
 * Relevance mass accuracy and the pointing game of one method against object masks, next to the baselines.
 *
 * @since 0.1
 */
public class RelevanceMassAnalysis extends MetricAnalysis<RelevanceMassAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param method    the explanation method
     * @param batchSize images per pass of the method
     */
    public record Params(@Param("explanation method (saliency, attention-rollout, gradient-rollout, ...)") String method,
            @Param(value = "images per pass of the method", min = 1, max = 1024) int batchSize) implements MetricParams {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("saliency", 16);
    }

    @Override
    protected ImageMetric metric(Params p) {
        ImageMetric mass = Metrics.relevanceMass();
        ImageMetric pointing = Metrics.pointingGame();
        return new ImageMetric() {
            @Override
            public String name() {
                return "relevance mass";
            }

            @Override
            public List<String> columns() {
                return List.of(mass.columns().get(0), pointing.columns().get(0));
            }

            @Override
            public boolean[] higherIsBetter() {
                return new boolean[] {true, true};
            }

            @Override
            public boolean needsMask() {
                return true;
            }

            @Override
            public Scored score(Sample sample, PixelMap map, Random random) {
                return new Scored(new double[] {mass.score(sample, map, random).values()[0], pointing.score(sample, map, random).values()[0]},
                        new double[0][]);
            }
        };
    }
}

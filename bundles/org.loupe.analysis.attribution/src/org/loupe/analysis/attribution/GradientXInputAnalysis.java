package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.model.HookedModel;

/**
 * The {@code gradient-x-input} analysis: {@link GradientXInput} maps of the images.
 *
 * @since 0.1
 */
public class GradientXInputAnalysis extends AttributionAnalysis<GradientXInputAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per pass
     */
    public record Params(@Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per pass", min = 1, max = 1024) int batchSize) implements AttributionAnalysis.Common {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(-1, 8);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return new GradientXInput();
    }
}

package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.model.HookedModel;

/**
 * The {@code saliency} analysis: {@link Saliency} maps of the images.
 *
 * @since 0.1
 */
public class SaliencyAnalysis extends AttributionAnalysis<SaliencyAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param signed      keep the gradient's sign (map: sum over channels) instead of the largest absolute value
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per pass
     */
    public record Params(@Param("keep the gradient's sign (sum over channels) instead of |gradient| (max over channels)") boolean signed,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per pass", min = 1, max = 1024) int batchSize) implements AttributionAnalysis.Common {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(false, -1, 8);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return new Saliency(p.signed());
    }
}

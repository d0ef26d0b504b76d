package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.model.HookedModel;

/**
 * The {@code attribution-compare} analysis: several methods, each with its default settings, on the
 * same images; the maps of one image lie side by side in the overlay editor, titled by method.
 *
 * @since 0.1
 */
public class CompareAnalysis extends AttributionAnalysis<CompareAnalysis.Params> {

    /** The methods compared by default: one of each family, cheap enough for a first look. */
    static final String DEFAULT = "saliency,gradient-x-input,smoothgrad,integrated-gradients,occlusion,rise,gradcam,hirescam";

    /**
     * Parameters.
     *
     * @param methods     the methods, comma-separated keys of {@link Explainers#byKey}
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per call
     */
    public record Params(@Param("methods, comma-separated: saliency, gradient-x-input, smoothgrad, squaregrad, vargrad, integrated-gradients, "
            + "occlusion, rise, gradcam, gradcam++, hirescam") String methods,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per call", min = 1, max = 1024) int batchSize) implements AttributionAnalysis.Common {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(DEFAULT, -1, 4);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return explainers(model, p).get(0);
    }

    @Override
    protected List<Explainer> explainers(HookedModel model, Params p) {
        Map<String, Explainer> known = Explainers.byKey(model);
        List<Explainer> out = new ArrayList<>();
        for (String key : p.methods().split(",")) {
            String k = key.trim();
            if (k.isEmpty()) {
                continue;
            }
            Explainer e = known.get(k);
            if (e == null) {
                throw new IllegalArgumentException("unknown method '" + k + "' for " + model.info().name() + "; use "
                        + String.join(", ", known.keySet()));
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("give at least one method, for example methods=saliency,gradcam");
        }
        return out;
    }
}

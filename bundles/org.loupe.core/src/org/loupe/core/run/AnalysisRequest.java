package org.loupe.core.run;

import java.util.Map;

import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;

/**
 * One analysis to run: which analysis, on which model and selection, with which parameters (as the
 * text a user typed; defaults fill the rest) and seed.
 *
 * @param analysisId the analysis' extension id
 * @param model      the opened model
 * @param selection  hook point, unit, images
 * @param parameters {@code key -> value} text
 * @param seed       the seed
 *
 * @since 0.1
 */
public record AnalysisRequest(String analysisId, HookedModel model, Selection selection, Map<String, String> parameters,
        long seed) {

    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 0;

    /** Copies the parameters. */
    public AnalysisRequest {
        parameters = Map.copyOf(parameters);
    }
}

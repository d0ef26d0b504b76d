package org.loupe.core.result;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loupe.core.analysis.Selection;
import org.loupe.core.internal.Values;
import org.loupe.core.model.ModelInfo;

/**
 * Exactly what produced a result, so that it can be reproduced.
 *
 * @param analysisId     the analysis' extension id
 * @param analysisName   the analysis' name
 * @param model          the model's identity, including the hash of its weights
 * @param selection      the hook point, unit and images selected
 * @param parameters     the bound parameters, by name
 * @param seed           the run's seed
 * @param loupeVersion   the version of Loupe's core
 * @param started        when the run started
 * @param durationMillis how long it took
 * @param images         the images the run read, or null if it read none
 *
 * @since 0.1
 */
public record Provenance(String analysisId, String analysisName, ModelInfo model, Selection selection,
        Map<String, Object> parameters, long seed, String loupeVersion, Instant started, long durationMillis, ImagesUsed images) {

    /** A provenance of a run that read no images. */
    public Provenance(String analysisId, String analysisName, ModelInfo model, Selection selection, Map<String, Object> parameters,
            long seed, String loupeVersion, Instant started, long durationMillis) {
        this(analysisId, analysisName, model, selection, parameters, seed, loupeVersion, started, durationMillis, null);
    }

    /** The images line of the provenance: what {@link ImagesUsed#describe()} says, or "none". */
    public String describeImages() {
        return images == null ? "none" : images.describe();
    }

    /** Copies the parameter map. */
    public Provenance {
        Map<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(k, Values.normalize(v)));
        parameters = Collections.unmodifiableMap(copy);
    }
}

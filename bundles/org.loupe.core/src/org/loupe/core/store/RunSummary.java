package org.loupe.core.store;

import java.time.Instant;

/**
 * One line of the run history: enough to list a run without loading its result.
 *
 * @param id             the run's id
 * @param title          the result's title
 * @param analysisId     the analysis' id
 * @param analysisName   the analysis' name
 * @param modelName      the model's name
 * @param hookPoint      the selected hook point, or null
 * @param started        when the run started
 * @param durationMillis how long it took
 *
 * @since 0.1
 */
public record RunSummary(String id, String title, String analysisId, String analysisName, String modelName, String hookPoint,
        Instant started, long durationMillis) {
}

package org.loupe.analysis.featureviz.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.loupe.core.run.AnalysisJob;
import org.loupe.ui.AnalysisLauncher;

/**
 * Visualize Layer (gallery) (Ctrl+Alt+G; Model view's context menu): feature visualizations of
 * every unit of the selected layer (or the {@code layer} parameter), one unit per batch row. The
 * gallery shows live as each batch finishes and opens as a result when all have. Returns the
 * scheduled job (or null).
 */
public class VisualizeLayerHandler extends AbstractHandler {

    /** The analysis run. */
    static final String ANALYSIS = "org.loupe.analysis.featurevizLayer";

    @Override
    public AnalysisJob execute(ExecutionEvent event) throws ExecutionException {
        AnalysisLauncher launcher = AnalysisLauncher.of(event);
        AnalysisLauncher.Target target = launcher.target(event, null);
        Map<String, String> params = new LinkedHashMap<>();
        if (target == null || !launcher.positiveParameters(event, params, "steps", "batch")) {
            return null;
        }
        return launcher.start(ANALYSIS, target, params);
    }
}

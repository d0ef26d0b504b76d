package org.loupe.analysis.featureviz.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.loupe.core.run.AnalysisJob;
import org.loupe.ui.AnalysisLauncher;

/**
 * Visualize (Ctrl+Alt+V; Model view's context menu): the feature visualization of one unit with
 * Lucent's defaults. The unit is the command's {@code unit} parameter, else the unit selected in
 * the Model view (a gallery click names one), else the user types it; the layer is the
 * {@code layer} parameter or the Model view's selection. Returns the scheduled job (or null).
 */
public class VisualizeHandler extends AbstractHandler {

    /** The analysis run. */
    static final String ANALYSIS = "org.loupe.analysis.featureviz";

    @Override
    public AnalysisJob execute(ExecutionEvent event) throws ExecutionException {
        AnalysisLauncher launcher = AnalysisLauncher.of(event);
        AnalysisLauncher.Target target = launcher.target(event, "Visualize");
        Map<String, String> params = new LinkedHashMap<>();
        if (target == null || !launcher.positiveParameters(event, params, "steps")) {
            return null;
        }
        return launcher.start(ANALYSIS, target, params);
    }
}

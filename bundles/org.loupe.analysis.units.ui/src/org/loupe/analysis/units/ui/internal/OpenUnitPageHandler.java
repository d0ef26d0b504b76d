package org.loupe.analysis.units.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.loupe.core.run.AnalysisJob;
import org.loupe.ui.AnalysisLauncher;

/**
 * Open Unit Page (Ctrl+Alt+U; Model view's context menu; {@code loupe open model#layer:unit}): runs
 * the {@code unit-page} analysis for a unit as a job and opens its page. The unit is the command's
 * {@code unit} parameter, else the unit selected in the Model view (a click on a unit link or a
 * gallery picture selects one), else the user types it; the layer is the {@code layer} parameter or
 * the Model view's selection. Navigate > Back and Forward (Alt+Left, Alt+Right) go between the pages
 * opened. Returns the scheduled job (or null).
 */
public class OpenUnitPageHandler extends AbstractHandler {

    /** The analysis run. */
    static final String ANALYSIS = "org.loupe.analysis.unitPage";

    @Override
    public AnalysisJob execute(ExecutionEvent event) throws ExecutionException {
        AnalysisLauncher launcher = AnalysisLauncher.of(event);
        AnalysisLauncher.Target target = launcher.target(event, "Open Unit Page");
        Map<String, String> params = new LinkedHashMap<>();
        if (target == null || !launcher.positiveParameters(event, params, "steps")) {
            return null;
        }
        String sections = event.getParameter("sections");
        if (sections != null) {
            params.put("sections", sections.trim());
        }
        return launcher.start(ANALYSIS, target, params);
    }
}

package org.loupe.analysis.units.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
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
        AnalysisLauncher launcher = new AnalysisLauncher(HandlerUtil.getActiveWorkbenchWindowChecked(event));
        HookedModel model = launcher.model();
        IWorkbenchPart active = HandlerUtil.getActivePart(event);
        HookPoint point = model == null ? null : launcher.layer(model, event.getParameter("layer"), active);
        if (point == null) {
            return null;
        }
        Integer unit = launcher.unit(event.getParameter("unit"), point, active, "Open Unit Page");
        if (unit == null) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        String steps = event.getParameter("steps");
        if (steps != null) {
            if (launcher.positive(steps, "Steps") == null) {
                return null;
            }
            params.put("steps", steps.trim());
        }
        String sections = event.getParameter("sections");
        if (sections != null) {
            params.put("sections", sections.trim());
        }
        return launcher.start(ANALYSIS, model, point, unit, params);
    }
}

package org.loupe.analysis.featureviz.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
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
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindowChecked(event);
        AnalysisLauncher launcher = new AnalysisLauncher(window);
        HookedModel model = launcher.model();
        IWorkbenchPart active = HandlerUtil.getActivePart(event);
        HookPoint point = model == null ? null : launcher.layer(model, event.getParameter("layer"), active);
        if (point == null) {
            return null;
        }
        Integer unit = launcher.unit(event.getParameter("unit"), point, active, "Visualize");
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
        return launcher.start(ANALYSIS, model, point, unit, params);
    }
}

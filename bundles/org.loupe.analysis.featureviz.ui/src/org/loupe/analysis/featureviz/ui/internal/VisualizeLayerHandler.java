package org.loupe.analysis.featureviz.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
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
        IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindowChecked(event);
        AnalysisLauncher launcher = new AnalysisLauncher(window);
        HookedModel model = launcher.model();
        HookPoint point = model == null ? null : launcher.layer(model, event.getParameter("layer"), HandlerUtil.getActivePart(event));
        if (point == null) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : new String[] {"steps", "batch"}) {
            String v = event.getParameter(key);
            if (v != null) {
                if (launcher.positive(v, key.equals("steps") ? "Steps" : "Units per batch") == null) {
                    return null;
                }
                params.put(key, v.trim());
            }
        }
        return launcher.start(ANALYSIS, model, point, null, params);
    }
}

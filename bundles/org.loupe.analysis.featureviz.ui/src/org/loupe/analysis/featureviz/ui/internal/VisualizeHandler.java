package org.loupe.analysis.featureviz.ui.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisJob;

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
        Launcher launcher = new Launcher(window);
        HookedModel model = launcher.model();
        IWorkbenchPart active = HandlerUtil.getActivePart(event);
        HookPoint point = model == null ? null : launcher.layer(model, event.getParameter("layer"), active);
        if (point == null) {
            return null;
        }
        Integer unit = unit(launcher, event.getParameter("unit"), point, active);
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

    private static Integer unit(Launcher launcher, String given, HookPoint point, IWorkbenchPart active) {
        if (given != null) {
            try {
                return Integer.valueOf(given.trim());
            } catch (NumberFormatException e) {
                launcher.problem("The unit must be a whole number (0.." + (point.units() - 1) + " for " + point.name() + "), not '" + given + "'.");
                return null;
            }
        }
        UnitRef selected = Adapters.adapt(launcher.modelView(active), UnitRef.class);
        if (selected != null && selected.hookPoint().equals(point.name())) {
            return selected.unit();
        }
        long n = point.units();
        InputDialog d = new InputDialog(active == null ? null : active.getSite().getShell(), "Visualize",
                "Unit of " + point.name() + " to visualize (0.." + (n - 1) + "):", "0", text -> {
                    try {
                        long u = Long.parseLong(text.trim());
                        return u >= 0 && u < n ? null : point.name() + " has " + n + " units: give 0.." + (n - 1) + ".";
                    } catch (NumberFormatException e) {
                        return "Give a whole number 0.." + (n - 1) + ".";
                    }
                });
        return d.open() == Window.OK ? Integer.valueOf(d.getValue().trim()) : null;
    }
}

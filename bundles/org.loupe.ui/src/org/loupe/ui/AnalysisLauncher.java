package org.loupe.ui;

import java.util.Map;

import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.result.Run;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;

/**
 * For the command handlers of analysis plug-ins (Visualize, Open Unit Page, ...): starts an
 * analysis the way the Analyses view does. It finds the layer and unit from the command's
 * parameters or the Model view's selection (asking for the unit if needed), checks the selection,
 * runs the analysis as a user job of the session (progress and cancel in the Progress view, live
 * preview through the workbench's preview tracker) and opens the stored run when it ends. A wrong
 * layer or unit is told to the user as a message, and nothing is scheduled then.
 *
 * @since 0.1
 */
public final class AnalysisLauncher {

    /** The Model view's id (its context menu carries the analyses' commands: {@code popup:org.loupe.ui.modelView}). */
    public static final String MODEL_VIEW = "org.loupe.ui.modelView";

    private final IWorkbenchWindow window;
    private final Session session = Session.get();

    /**
     * What a command works on: the open model, a hook point and (for unit commands) a unit.
     *
     * @param model the open model
     * @param point the hook point
     * @param unit  the unit, or null for a whole layer
     */
    public record Target(HookedModel model, HookPoint point, Integer unit) {
    }

    /** A launcher for commands run in {@code window}. */
    public AnalysisLauncher(IWorkbenchWindow window) {
        this.window = window;
    }

    /** A launcher for the window {@code event} came from. */
    public static AnalysisLauncher of(ExecutionEvent event) throws ExecutionException {
        return new AnalysisLauncher(HandlerUtil.getActiveWorkbenchWindowChecked(event));
    }

    /**
     * The layer {@code event} names (its {@code layer} parameter, else the Model view's selection)
     * and, if {@code unitTitle} is not null, the unit (its {@code unit} parameter, else the selected
     * unit, else asked for in a dialog of that title); null after telling the user what was wrong.
     */
    public Target target(ExecutionEvent event, String unitTitle) {
        HookedModel model = model();
        IWorkbenchPart active = HandlerUtil.getActivePart(event);
        HookPoint point = model == null ? null : layer(model, event.getParameter("layer"), active);
        if (point == null) {
            return null;
        }
        if (unitTitle == null) {
            return new Target(model, point, null);
        }
        Integer unit = unit(event.getParameter("unit"), point, active, unitTitle);
        return unit == null ? null : new Target(model, point, unit);
    }

    /**
     * Copies the command parameters {@code names} that are given into analysis parameters, each of
     * which must be a whole number of at least 1; false after telling the user about a wrong one.
     */
    public boolean positiveParameters(ExecutionEvent event, Map<String, String> params, String... names) {
        for (String name : names) {
            String v = event.getParameter(name);
            if (v != null) {
                if (positive(v, name) == null) {
                    return false;
                }
                params.put(name, v.trim());
            }
        }
        return true;
    }

    /** Starts analysis {@code analysisId} on {@code target}; see {@link #start(String, HookedModel, HookPoint, Integer, Map)}. */
    public AnalysisJob start(String analysisId, Target target, Map<String, String> params) {
        return start(analysisId, target.model(), target.point(), target.unit(), params);
    }

    /** The open model, or null after telling the user to open one. */
    public HookedModel model() {
        HookedModel m = session.model().orElse(null);
        if (m == null) {
            problem("No model is open: open one first (File > Open Model..., Ctrl+O), then right-click a layer in the Model view.");
        }
        return m;
    }

    /**
     * The hook point named {@code layer}, or, if that is null, the one selected in the Model view;
     * null after telling the user what was wrong.
     */
    public HookPoint layer(HookedModel model, String layer, IWorkbenchPart active) {
        if (layer != null && !layer.isBlank()) {
            try {
                return model.hookPoint(layer.trim());
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
                return null;
            }
        }
        HookPoint p = Adapters.adapt(modelView(active), HookPoint.class);
        if (p == null) {
            problem("Select a layer (a hook point) in the Model view first.");
        }
        return p;
    }

    /** The Model view, where the selection is read (the active part when the command came from its menu). */
    public IWorkbenchPart modelView(IWorkbenchPart active) {
        if (active != null && MODEL_VIEW.equals(active.getSite().getId())) {
            return active;
        }
        IWorkbenchPage page = window.getActivePage();
        return page == null ? null : page.findView(MODEL_VIEW);
    }

    /**
     * Starts analysis {@code analysisId} on {@code point} (and {@code unit}, if not null) with
     * {@code params}; returns the scheduled job, or null after telling the user why it did not start.
     */
    public AnalysisJob start(String analysisId, HookedModel model, HookPoint point, Integer unit, Map<String, String> params) {
        AnalysisDescriptor d = session.registry().analysis(analysisId).orElse(null);
        if (d == null) {
            problem("The analysis " + analysisId + " is not installed in this workbench (Help > Plug-ins lists what is).");
            return null;
        }
        if (unit != null && (unit < 0 || unit >= point.units())) {
            problem("Unit " + unit + " is out of range: " + point.name() + " has " + point.units() + " units (0.." + (point.units() - 1) + ").");
            return null;
        }
        Selection sel = new Selection(point.name(), unit, null);
        try {
            AnalysisRunner.checkSelection(d, model, sel);
        } catch (AnalysisException e) {
            problem(e.getMessage());
            return null;
        }
        String name = d.name() + " of " + point.name() + (unit == null ? "" : " unit " + unit);
        AnalysisJob job = new AnalysisJob(name, session.runner(), new AnalysisRequest(d.id(), model, sel, params, AnalysisRequest.DEFAULT_SEED));
        var display = window.getShell().getDisplay();
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                Run r = job.run();
                if (event.getResult().getSeverity() == IStatus.OK && r != null) {
                    display.asyncExec(() -> open(r));
                }
            }
        });
        if (!session.schedule(job)) {
            problem(model.info().name() + " was closed before the run started (another model was opened): run it again.");
            return null;
        }
        return job;
    }

    private void open(Run r) {
        IWorkbenchPage page = window.getActivePage();
        if (page == null) {
            return;
        }
        try {
            RunEditors.open(page, r);
        } catch (PartInitException e) {
            session.reportError(e.getStatus());
        }
    }

    /** Tells the user what was wrong (through the session's error reporter: a dialog in the workbench). */
    public void problem(String message) {
        session.reportError(Status.error(message));
    }

    /** {@code text} as a whole number at least 1, or null after telling the user that {@code what} must be one. */
    public Integer positive(String text, String what) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(what + " must be a whole number of at least 1, not '" + text + "'.");
        return null;
    }

    /**
     * The unit to analyse: {@code given} (a command parameter) if not null, else the unit of
     * {@code point} selected in the Model view (a click on a unit link or gallery picture selects
     * one), else the one the user types (titled {@code title}); null if that was wrong or cancelled
     * (after telling the user).
     */
    public Integer unit(String given, HookPoint point, IWorkbenchPart active, String title) {
        if (given != null) {
            try {
                return Integer.valueOf(given.trim());
            } catch (NumberFormatException e) {
                problem("The unit must be a whole number (0.." + (point.units() - 1) + " for " + point.name() + "), not '" + given + "'.");
                return null;
            }
        }
        UnitRef selected = Adapters.adapt(modelView(active), UnitRef.class);
        if (selected != null && selected.hookPoint().equals(point.name())) {
            return selected.unit();
        }
        long n = point.units();
        InputDialog d = new InputDialog(active == null ? window.getShell() : active.getSite().getShell(), title,
                "Unit of " + point.name() + " (0.." + (n - 1) + "):", "0", text -> {
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

package org.loupe.ui.internal.views;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.ParamSpec;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.PluginFailure;
import org.loupe.core.registry.PluginProblem;
import org.loupe.core.result.Run;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.ui.RunEditors;
import org.loupe.ui.Session;
import org.loupe.ui.internal.dialogs.ImageSourceDialog;

/**
 * The analyses that apply to the hook point selected in the Model view (or to the whole model when
 * none is selected), a form for the chosen analysis' images and parameters built from its
 * declaration and parameter record, and Run: a background job whose result is saved to the run
 * store and opened in an editor; Cancel beside Run stops it. An analysis whose requirements the
 * open model does not meet is listed greyed out with the reason, and cannot be run.
 */
public class AnalysesView extends ViewPart {

    /** The view's id. */
    public static final String ID = "org.loupe.ui.analysesView";

    private Label target;
    private TableViewer list;
    private Composite form;
    private ScrolledComposite formScroll;
    private Label status;
    private HookPoint point;
    private AnalysisDescriptor chosen;
    private final Map<String, Control> controls = new LinkedHashMap<>();
    private Map<String, String> defaults = Map.of();
    private Spinner unit;
    private Spinner seed;
    private Text imagesField;
    private Button runButton;
    private Button cancelButton;
    /** Why each offered analysis does not apply to the open model (absent: it applies). */
    private final Map<AnalysisDescriptor, String> unavailable = new java.util.HashMap<>();
    /** The job started here that has not ended yet, or null. */
    private AnalysisJob running;

    private final ISelectionListener selectionListener = this::selectionChanged;
    private HookedModel shownModel;
    private final Consumer<HookedModel> modelListener = m -> {
        if (list != null && !list.getControl().isDisposed()) {
            list.getControl().getDisplay().asyncExec(() -> {
                if (list.getControl().isDisposed()) {
                    return;
                }
                select(null);
                AnalysisJob j = running;
                if (j != null && j.request().model() != m) {
                    showStatus(j.getName() + " still runs on " + j.request().model().info().name()
                            + ", which stays open until it ends. Cancel stops it.", false);
                }
            });
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        GridLayoutFactory.fillDefaults().applyTo(parent);
        target = new Label(parent, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).indent(4, 4).applyTo(target);
        List<PluginProblem> problems = Session.get().registry().problems();
        if (!problems.isEmpty()) {
            // plug-ins whose plugin.xml Loupe could not use: their analyses are missing from the list
            Label heading = new Label(parent, SWT.WRAP);
            heading.setText("Plug-ins with problems (what they declare is not offered):");
            heading.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_RED));
            GridDataFactory.fillDefaults().grab(true, false).indent(4, 0).hint(200, SWT.DEFAULT).applyTo(heading);
            Text details = new Text(parent, SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
            details.setText(String.join("\n", problems.stream().map(PluginProblem::describe).toList()));
            details.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_RED));
            GridDataFactory.fillDefaults().grab(true, false).indent(4, 0).hint(200, 4 * details.getLineHeight()).applyTo(details);
        }
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(sash);
        list = new TableViewer(sash, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL);
        list.getTable().setHeaderVisible(true);
        column("Analysis", 170, AnalysisDescriptor::name, d -> unavailable.getOrDefault(d, d.description()));
        // next to the name, so that the start of the reason shows even in a narrow view
        column("Not available because", 420, d -> unavailable.containsKey(d) ? withoutName(d, unavailable.get(d)) : "", unavailable::get);
        column("Category", 110, AnalysisDescriptor::category, d -> null);
        org.eclipse.jface.viewers.ColumnViewerToolTipSupport.enableFor(list);
        list.setContentProvider(ArrayContentProvider.getInstance());
        list.addSelectionChangedListener(e -> choose((AnalysisDescriptor) ((IStructuredSelection) e.getSelection()).getFirstElement()));
        list.addDoubleClickListener(e -> run());

        formScroll = new ScrolledComposite(sash, SWT.V_SCROLL | SWT.H_SCROLL);
        formScroll.setExpandHorizontal(true);
        formScroll.setExpandVertical(true);
        form = new Composite(formScroll, SWT.NONE);
        formScroll.setContent(form);
        GridLayoutFactory.swtDefaults().numColumns(3).applyTo(form);
        sash.setWeights(2, 3);
        status = new Label(parent, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).indent(4, 0).hint(200, SWT.DEFAULT).applyTo(status);

        getSite().getPage().addSelectionListener(ModelView.ID, selectionListener);
        Session.get().addModelListener(modelListener);
        ISelection current = getSite().getPage().getSelection(ModelView.ID);
        selectionChanged(null, current);
    }

    private void selectionChanged(IWorkbenchPart part, ISelection selection) {
        HookPoint p = null;
        if (selection instanceof IStructuredSelection s && s.getFirstElement() instanceof HookNode n) {
            p = n.point();
        }
        select(p);
    }

    /** Reads the analyses again for the shown hook point: after a plug-in was installed, enabled, disabled or uninstalled. */
    public void refresh() {
        if (!list.getControl().isDisposed()) {
            list.setInput(null);
            select(point);
        }
    }

    /**
     * Shows the analyses that apply to {@code p} (null: the whole model). The chosen analysis stays
     * chosen if it still applies; selecting the same hook point again changes nothing.
     */
    public void select(HookPoint p) {
        HookedModel model = Session.get().model().orElse(null);
        if (list.getControl().isDisposed() || (java.util.Objects.equals(p, point) && model == shownModel && list.getInput() != null)) {
            return;
        }
        point = p;
        shownModel = model;
        AnalysisDescriptor keep = chosen;
        unavailable.clear();
        if (model == null) {
            target.setText("No model is open.");
            list.setInput(List.of());
        } else {
            target.setText(p == null ? "Whole model " + model.info().name() + " (select a hook point in the Model view for more)"
                    : p.name() + " (" + p.describe() + ", " + p.units() + " units)");
            List<AnalysisDescriptor> fit = Session.get().registry().analyses().stream().filter(d -> d.appliesTo(p)).toList();
            for (AnalysisDescriptor d : fit) {
                try {
                    d.unavailableReason(model).ifPresent(why -> unavailable.put(d, why));
                } catch (RuntimeException e) {
                    unavailable.put(d, "'" + d.name() + "' cannot be loaded: " + e.getMessage());
                }
            }
            // the ones that can run first, then the greyed ones with their reasons
            list.setInput(fit.stream().sorted(java.util.Comparator.comparing(unavailable::containsKey)).toList());
        }
        target.getParent().layout(true, true);
        choose(keep != null && offered().contains(keep) ? keep : null);
    }

    /** The table of analyses (for tests: its rows, their colours and reasons). */
    public TableViewer viewer() {
        return list;
    }

    /** Why {@code d} cannot run on the open model, as the view shows it, or null if it can. */
    public String unavailableReason(AnalysisDescriptor d) {
        return unavailable.get(d);
    }

    /** A column of the analyses table; the rows of analyses that do not apply are grey. */
    private void column(String title, int width, Function<AnalysisDescriptor, String> text, Function<AnalysisDescriptor, String> tooltip) {
        TableViewerColumn c = new TableViewerColumn(list, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object e) {
                return text.apply((AnalysisDescriptor) e);
            }

            @Override
            public String getToolTipText(Object e) {
                return tooltip.apply((AnalysisDescriptor) e);
            }

            @Override
            public Color getForeground(Object e) {
                return unavailable.containsKey(e) ? list.getControl().getDisplay().getSystemColor(SWT.COLOR_WIDGET_DISABLED_FOREGROUND) : null;
            }
        });
    }

    private static String withoutName(AnalysisDescriptor d, String why) {
        String prefix = "'" + d.name() + "' ";
        return why.startsWith(prefix) ? why.substring(prefix.length()) : why;
    }

    /** The analyses currently offered. */
    @SuppressWarnings("unchecked")
    public List<AnalysisDescriptor> offered() {
        return (List<AnalysisDescriptor>) list.getInput();
    }

    /** Chooses an analysis and builds its parameter form. */
    public void choose(AnalysisDescriptor d) {
        chosen = d;
        if (d != null && !d.equals(((IStructuredSelection) list.getSelection()).getFirstElement())) {
            list.setSelection(new StructuredSelection(d), true);
            return;
        }
        if (d == null && !list.getSelection().isEmpty()) {
            list.setSelection(StructuredSelection.EMPTY);
        }
        for (Control c : form.getChildren()) {
            c.dispose();
        }
        controls.clear();
        unit = null;
        imagesField = null;
        runButton = null;
        cancelButton = null;
        if (d == null) {
            Label l = new Label(form, SWT.WRAP);
            l.setText(list.getTable().getItemCount() == 0 ? "" : "Choose an analysis to see its parameters.");
            GridDataFactory.fillDefaults().span(3, 1).grab(true, false).applyTo(l);
        } else if (unavailable.containsKey(d)) {
            explainUnavailable(d);
        } else {
            buildForm(d);
        }
        form.layout(true, true);
        formScroll.setMinSize(form.computeSize(Math.max(220, formScroll.getClientArea().width), SWT.DEFAULT));
    }

    private void describe(AnalysisDescriptor d) {
        Label desc = new Label(form, SWT.WRAP);
        desc.setText(d.description().isEmpty() ? d.name() : d.description());
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(200, SWT.DEFAULT).applyTo(desc);
    }

    /** The form of an analysis that does not apply: what it does, why it cannot run here, and no Run. */
    private void explainUnavailable(AnalysisDescriptor d) {
        describe(d);
        Label why = new Label(form, SWT.WRAP);
        why.setText("Not available: " + unavailable.get(d));
        why.setForeground(why.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        GridDataFactory.fillDefaults().span(3, 1).grab(true, false).hint(200, SWT.DEFAULT).applyTo(why);
    }

    private void buildForm(AnalysisDescriptor d) {
        describe(d);
        if (point != null && d.needsUnit()) {
            label("Unit", "unit index at " + point.name() + " (0.." + (point.units() - 1) + ")");
            unit = new Spinner(form, SWT.BORDER);
            unit.setValues(0, 0, (int) Math.max(0, point.units() - 1), 0, 1, 10);
            GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(80, SWT.DEFAULT).applyTo(unit);
        }
        Analysis<?> analysis = d.createAnalysis();
        analysis.imageInput().ifPresent(this::imagesRow);
        List<ParamSpec> specs = specs(analysis);
        defaults = new LinkedHashMap<>();
        for (ParamSpec s : specs) {
            defaults.put(s.name(), s.defaultValue());
            label(s.name(), s.description());
            if (!s.choices().isEmpty()) {
                Combo c = new Combo(form, SWT.READ_ONLY);
                c.setItems(s.choices().toArray(String[]::new));
                c.select(Math.max(0, s.choices().indexOf(s.defaultValue())));
                GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(80, SWT.DEFAULT).applyTo(c);
                controls.put(s.name(), c);
            } else if (s.type() == boolean.class || s.type() == Boolean.class) {
                Button b = new Button(form, SWT.CHECK);
                b.setSelection(Boolean.parseBoolean(s.defaultValue()));
                GridDataFactory.fillDefaults().span(2, 1).applyTo(b);
                controls.put(s.name(), b);
            } else {
                Text t = new Text(form, SWT.BORDER);
                t.setText(s.defaultValue());
                t.setToolTipText(s.summary());
                GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(80, SWT.DEFAULT).applyTo(t);
                controls.put(s.name(), t);
            }
        }
        label("Seed", "seed for anything random; the same seed gives the same result");
        seed = new Spinner(form, SWT.BORDER);
        seed.setValues(0, 0, Integer.MAX_VALUE, 0, 1, 100);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).hint(80, SWT.DEFAULT).applyTo(seed);
        Composite buttons = new Composite(form, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(buttons);
        GridDataFactory.swtDefaults().span(3, 1).applyTo(buttons);
        runButton = new Button(buttons, SWT.PUSH);
        runButton.setText("Run");
        runButton.setToolTipText("Run in the background (Ctrl+R); the result is saved and opened");
        runButton.addListener(SWT.Selection, e -> run());
        cancelButton = new Button(buttons, SWT.PUSH);
        cancelButton.setText("Cancel");
        cancelButton.setToolTipText("Stop the analysis started here");
        cancelButton.addListener(SWT.Selection, e -> cancel());
        updateButtons();
        getSite().getShell().setDefaultButton(runButton);
    }

    /** The images row of an analysis that reads images: the spec, its default, and a chooser with a preview. */
    private void imagesRow(ImageInput input) {
        label("Images", input.description());
        Text t = new Text(form, SWT.BORDER);
        t.setText(input.defaultSpec());
        t.setToolTipText(input.description() + " (default " + input.defaultSpec() + ")");
        GridDataFactory.fillDefaults().grab(true, false).hint(80, SWT.DEFAULT).applyTo(t);
        ImageSourceDialog.chooseButton(form, t, Session.get().registry());
        imagesField = t;
    }

    /** Run is enabled while nothing started here runs; Cancel while something does. */
    private void updateButtons() {
        boolean busy = running != null;
        if (runButton != null && !runButton.isDisposed()) {
            runButton.setEnabled(!busy);
            cancelButton.setEnabled(busy);
            cancelButton.setToolTipText(busy ? "Cancel " + running.getName() : "Stop the analysis started here");
        }
    }

    /** Cancels the analysis started here, if one runs (Cancel beside Run). */
    public void cancel() {
        AnalysisJob j = running;
        if (j != null) {
            j.cancel();
            showStatus("Cancelling " + j.getName() + " ...", false);
        }
    }

    private void showStatus(String text, boolean error) {
        if (status.isDisposed()) {
            return;
        }
        status.setText(text);
        status.setForeground(error ? status.getDisplay().getSystemColor(SWT.COLOR_RED) : null);
        status.getParent().layout(true, true);
    }

    private static <P extends Record> List<ParamSpec> specs(Analysis<P> a) {
        return ParameterBinder.specs(a.parametersType(), a.defaults());
    }

    private void label(String text, String tooltip) {
        Label l = new Label(form, SWT.NONE);
        l.setText(text);
        l.setToolTipText(tooltip);
    }

    /** Sets a parameter's value in the form, as a user would type or pick it. */
    public void setParameter(String name, String value) {
        Control c = controls.get(name);
        if (c instanceof Text t) {
            t.setText(value);
        } else if (c instanceof Combo combo) {
            combo.setText(value);
        } else if (c instanceof Button b) {
            b.setSelection(Boolean.parseBoolean(value));
        } else {
            throw new IllegalArgumentException("the form has no parameter '" + name + "'");
        }
    }

    /** Sets the images field (for analyses that read images), as a user would type it. */
    public void setImages(String spec) {
        imagesField.setText(spec);
    }

    /** Sets the unit spinner (for analyses that need a unit). */
    public void setUnit(int u) {
        unit.setSelection(u);
    }

    private static String valueOf(Control c) {
        if (c instanceof Text t) {
            return t.getText();
        }
        if (c instanceof Combo combo) {
            return combo.getText();
        }
        return Boolean.toString(((Button) c).getSelection());
    }

    /**
     * Runs the chosen analysis with the form's values; returns the scheduled job, or null if the
     * form is not valid (the reason is shown under the Run button).
     */
    public AnalysisJob run() {
        HookedModel model = Session.get().model().orElse(null);
        AnalysisDescriptor d = chosen;
        if (model == null || d == null) {
            return null;
        }
        // a job that has ended but whose end the UI thread has not handled yet does not block a new run
        if (running != null && running.getResult() == null) {
            showStatus(running.getName() + " is still running: wait for it or cancel it first.", true);
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        controls.forEach((k, c) -> {
            String value = valueOf(c);
            if (!value.equals(defaults.get(k))) {
                params.put(k, value);
            }
        });
        Integer u = unit == null ? null : unit.getSelection();
        String images = imagesField == null || imagesField.getText().isBlank() ? null : imagesField.getText().trim();
        Selection sel = new Selection(point == null ? null : point.name(), u, images);
        try {
            bind(d.createAnalysis(), params);
            AnalysisRunner.checkSelection(d, model, sel);
        } catch (IllegalArgumentException | AnalysisException | PluginFailure e) {
            showStatus(e.getMessage(), true);
            return null;
        }
        Session session = Session.get();
        AnalysisJob job = new AnalysisJob(d.name() + (point == null ? "" : " of " + point.name()), session.runner(),
                new AnalysisRequest(d.id(), model, sel, params, seed.getSelection()));
        var display = getSite().getShell().getDisplay();
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                Run r = job.run();
                int severity = event.getResult().getSeverity();
                display.asyncExec(() -> ended(job, severity, r, session));
            }
        });
        running = job;
        updateButtons();
        showStatus("Running " + job.getName() + " ... (Cancel stops it)", false);
        if (!session.schedule(job)) {
            running = null;
            updateButtons();
            showStatus(model.info().name() + " was closed before the run started (another model was opened): press Run again.", true);
            return null;
        }
        return job;
    }

    private void ended(AnalysisJob job, int severity, Run r, Session session) {
        if (running == job) {
            running = null;
        }
        if (status.isDisposed()) {
            return;
        }
        updateButtons();
        if (severity == IStatus.OK && r != null) {
            open(r, session);
        } else if (severity == IStatus.CANCEL && !job.getResult().getMessage().isEmpty()) {
            // abandoned: the analysis ignored the cancel for the grace period
            showStatus(job.getName() + ": " + job.getResult().getMessage() + "; nothing was saved.", true);
        } else if (severity == IStatus.CANCEL) {
            showStatus("Cancelled " + job.getName() + "; nothing was saved.", false);
        } else {
            showStatus(job.getName() + " failed: " + job.getResult().getMessage(), true);
        }
    }

    private static <P extends Record> void bind(Analysis<P> a, Map<String, String> params) {
        ParameterBinder.bind(a.parametersType(), a.defaults(), params);
    }

    private void open(Run r, Session session) {
        showStatus("Done: " + r.result().title() + " (" + r.provenance().durationMillis() + " ms)", false);
        try {
            RunEditors.open(getSite().getPage(), r);
        } catch (PartInitException e) {
            session.reportError(e.getStatus());
        }
    }

    @Override
    public void setFocus() {
        list.getControl().setFocus();
    }

    @Override
    public void dispose() {
        getSite().getPage().removeSelectionListener(ModelView.ID, selectionListener);
        Session.get().removeModelListener(modelListener);
        super.dispose();
    }
}

package org.loupe.ui.internal.editors;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.EditorPart;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Provenance;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.store.RunStore;
import org.loupe.render.Exporter;
import org.loupe.ui.Session;
import org.loupe.ui.internal.render.CompositeRenderer;
import org.loupe.ui.internal.render.RenderSession;
import org.loupe.ui.internal.render.ResultRenderers;
import org.loupe.ui.internal.render.WorkbenchUnitSelection;

/**
 * Shows one stored run: its provenance (analysis, model and weights hash, selection, parameters,
 * seed, duration) and its result through the renderer declared for it (a composite's renderer
 * renders each part through its own). The run is read from the store in a background job; export
 * writes the run to a folder as JSON, PNG and CSV. Opened on a {@link PreviewEditorInput} it shows
 * the partial results of a running analysis instead, replaced as newer ones arrive.
 */
public class ResultEditor extends EditorPart {

    /** The editor's id. */
    public static final String ID = "org.loupe.ui.resultEditor";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private ScrolledComposite scroll;
    private Composite content;
    private volatile Run run;
    private ResultRenderers declared;
    private RenderSession rendering;
    private volatile Result previewed;

    @Override
    public void init(IEditorSite site, IEditorInput input) throws PartInitException {
        if (!(input instanceof RunEditorInput) && !(input instanceof PreviewEditorInput)) {
            throw new PartInitException("The result editor opens stored runs, not " + input.getName());
        }
        setSite(site);
        setInput(input);
        setPartName(input.getName());
        setTitleToolTip(input.getToolTipText());
    }

    /** The run shown, once loaded; else null. */
    public Run run() {
        return run;
    }

    @Override
    public void createPartControl(Composite parent) {
        scroll = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        content = new Composite(scroll, SWT.NONE);
        content.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        content.setBackgroundMode(SWT.INHERIT_FORCE);
        GridLayoutFactory.swtDefaults().margins(12, 12).spacing(8, 10).applyTo(content);
        scroll.setContent(content);
        scroll.addListener(SWT.Resize, e -> fitScroll());
        new Label(content, SWT.NONE).setText((getEditorInput() instanceof PreviewEditorInput ? "Waiting for " : "Loading ")
                + getEditorInput().getToolTipText() + " ...");
        relayout();
        if (!(getEditorInput() instanceof RunEditorInput in)) {
            return;
        }
        Job load = Job.create("Loading run " + in.runId(), (IProgressMonitor m) -> {
            try {
                Run loaded = new RunStore(in.store()).load(in.runId());
                run = loaded;
                content.getDisplay().asyncExec(() -> show(loaded));
                return Status.OK_STATUS;
            } catch (IOException e) {
                content.getDisplay().asyncExec(() -> showError(e.getMessage()));
                return Status.error("Cannot open run " + in.runId() + ": " + e.getMessage(), e);
            }
        });
        load.setSystem(true);
        load.schedule();
    }

    private void showError(String message) {
        if (content.isDisposed()) {
            return;
        }
        clear();
        Label l = new Label(content, SWT.WRAP);
        l.setText("This run cannot be shown: " + message);
        relayout();
    }

    private void show(Run r) {
        if (content.isDisposed()) {
            return;
        }
        clear();
        setPartName(r.result().title());
        header(r);
        body(r.result(), r, r.provenance().model(), false);
    }

    /**
     * Shows {@code partial}, a snapshot published by the running analysis, in place of the previous
     * one (UI thread). Used by {@link PreviewTracker}.
     */
    public void showPreview(Result partial, ModelInfo model) {
        if (content == null || content.isDisposed()) {
            return;
        }
        clear();
        Label l = new Label(content, SWT.WRAP);
        l.setText("Live preview of " + getEditorInput().getName().replaceFirst("^Preview: ", "") + " on " + model.name()
                + " (still running; the stored result opens when it ends)");
        l.setFont(JFaceResources.getHeaderFont());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(l);
        previewed = partial;
        body(partial, null, model, true);
    }

    /** The composite holding the shown result's controls (for tests and commands). */
    public Composite content() {
        return content;
    }

    /** The partial result shown by a preview, or null. */
    public Result previewed() {
        return previewed;
    }

    private void body(Result result, Run shown, ModelInfo model, boolean preview) {
        if (declared == null) {
            declared = new ResultRenderers();
        }
        rendering = new RenderSession(shown, model, preview, new WorkbenchUnitSelection(getSite().getPage()), declared);
        content.setData(CompositeRenderer.TOP, Boolean.TRUE);
        if (result instanceof CompositeResult) {
            rendering.render(content, result);
        } else {
            rendering.renderPart(content, result);
        }
        relayout();
    }

    private void header(Run r) {
        Provenance p = r.provenance();
        Composite row = new Composite(content, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(row);
        Label title = new Label(row, SWT.NONE);
        title.setText(r.result().title());
        title.setFont(JFaceResources.getHeaderFont());
        GridDataFactory.fillDefaults().grab(true, false).applyTo(title);
        Button export = new Button(row, SWT.PUSH);
        export.setText("Export...");
        export.setToolTipText("Write run.json, PNG and CSV files to a folder");
        export.addListener(SWT.Selection, e -> exportInteractively());
        Text info = new Text(content, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP);
        String params = p.parameters().isEmpty() ? "none"
                : p.parameters().entrySet().stream().map(Map.Entry::toString).collect(Collectors.joining(", "));
        String sel = p.selection().hookPoint() == null ? "whole model" : p.selection().hookPoint()
                + (p.selection().unit() == null ? "" : " unit " + p.selection().unit());
        info.setText(String.format(Locale.ROOT, "%s on %s (%s, sha256 %s) at %s%nImages: %s%nParameters: %s; seed %d%n"
                + "Run %s, started %s, took %.2f s, Loupe %s", p.analysisName(), p.model().name(), p.model().architecture(),
                p.model().contentHash().substring(0, Math.min(12, p.model().contentHash().length())), sel,
                p.describeImages(), params, p.seed(), r.id(),
                TIME.format(p.started()), p.durationMillis() / 1000.0, p.loupeVersion()));
        GridDataFactory.fillDefaults().grab(true, false).applyTo(info);
    }

    /** Asks for a folder and exports the run into a new sub-folder named after it. */
    public void exportInteractively() {
        Run r = run;
        if (r == null) {
            return;
        }
        DirectoryDialog d = new DirectoryDialog(getSite().getShell());
        d.setText("Export result");
        d.setMessage("Choose a folder; the run is written to a new sub-folder named " + r.id());
        String dir = d.open();
        if (dir != null) {
            export(r, Path.of(dir).resolve(r.id()));
        }
    }

    /** Exports the run into {@code dir} in a background job; failures are reported. */
    public Job export(Run r, Path dir) {
        Job job = Job.create("Exporting " + r.id(), (IProgressMonitor m) -> {
            try {
                if (java.nio.file.Files.exists(dir)) {
                    return Status.error("Not exported: " + dir + " already exists (nothing was overwritten).");
                }
                List<Path> files = Exporter.exportRun(r, dir);
                return new Status(IStatus.OK, "org.loupe.ui", "Exported " + (files.size() + 1) + " files to " + dir);
            } catch (IOException e) {
                return Status.error("Export to " + dir + " failed: " + e.getMessage(), e);
            }
        });
        job.setUser(true);
        Session.get().reportFailures(job);
        job.schedule();
        return job;
    }

    private void clear() {
        for (Control c : content.getChildren()) {
            c.dispose();
        }
        disposeRenderers();
    }

    private void disposeRenderers() {
        if (rendering != null) {
            rendering.dispose();
            rendering = null;
        }
    }

    @Override
    public void dispose() {
        disposeRenderers();
        super.dispose();
    }

    private void relayout() {
        content.layout(true, true);
        fitScroll();
    }

    private void fitScroll() {
        scroll.setMinSize(content.computeSize(Math.max(400, scroll.getClientArea().width), SWT.DEFAULT));
    }

    @Override
    public void setFocus() {
        scroll.setFocus();
    }

    @Override
    public void doSave(IProgressMonitor monitor) {
    }

    @Override
    public void doSaveAs() {
    }

    @Override
    public boolean isDirty() {
        return false;
    }

    @Override
    public boolean isSaveAsAllowed() {
        return false;
    }
}

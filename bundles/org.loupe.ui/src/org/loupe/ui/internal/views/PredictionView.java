package org.loupe.ui.internal.views;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.core.result.TextResult;
import org.loupe.core.run.AnalysisJob;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.ui.Session;
import org.loupe.ui.internal.dialogs.ImageSourceDialog;
import org.loupe.ui.internal.render.RenderSession;
import org.loupe.ui.internal.render.ResultRenderers;
import org.loupe.ui.internal.render.WorkbenchUnitSelection;

/**
 * The open model's prediction for chosen images: the images with their top class, and the first
 * image's top classes as a bar chart. Each prediction is a run of the Prediction analysis, so it is
 * stored and can be reopened from the Runs view.
 */
public class PredictionView extends ViewPart {

    /** The view's id. */
    public static final String ID = "org.loupe.ui.predictionView";
    /** The Prediction analysis. */
    public static final String PREDICTION = "org.loupe.analysis.prediction";

    private Text images;
    private Label status;
    private Composite results;
    private ScrolledComposite scroll;
    private volatile Run last;
    private RenderSession rendering;
    private final Consumer<HookedModel> modelListener = m -> {
        if (results != null && !results.isDisposed()) {
            results.getDisplay().asyncExec(this::clear);
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(4, 4).applyTo(parent);
        images = new Text(parent, SWT.BORDER);
        images.setMessage("images: a file, a folder, or a source (Choose...)");
        images.setToolTipText("Empty: the Prediction analysis' default images");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(images);
        Composite bar = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        ImageSourceDialog.chooseButton(bar, images, Session.get().registry());
        Button file = new Button(bar, SWT.PUSH);
        file.setText("Image...");
        file.addListener(SWT.Selection, e -> {
            FileDialog fd = new FileDialog(getSite().getShell(), SWT.OPEN);
            fd.setFilterExtensions(new String[] {"*.png;*.jpg;*.jpeg;*.bmp;*.gif", "*.*"});
            String f = fd.open();
            if (f != null) {
                images.setText(f);
                predict();
            }
        });
        Button go = new Button(bar, SWT.PUSH);
        go.setText("Predict");
        go.addListener(SWT.Selection, e -> predict());
        images.addListener(SWT.DefaultSelection, e -> predict());
        status = new Label(parent, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
        scroll = new ScrolledComposite(parent, SWT.V_SCROLL | SWT.H_SCROLL);
        scroll.setExpandHorizontal(true);
        scroll.setExpandVertical(true);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(scroll);
        results = new Composite(scroll, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(results);
        scroll.setContent(results);
        Session.get().addModelListener(modelListener);
    }

    /** Sets the images spec (as typed in the field). */
    public void setImages(String spec) {
        images.setText(spec);
    }

    /** The last prediction shown. */
    public Run last() {
        return last;
    }

    /** Runs the Prediction analysis on the images in the field; returns the job, or null without a model. */
    public AnalysisJob predict() {
        Session session = Session.get();
        HookedModel model = session.model().orElse(null);
        if (model == null) {
            status.setText("Open a model first (File > Open Model...).");
            return null;
        }
        String spec = images.getText().trim();
        AnalysisJob job = new AnalysisJob("Prediction of " + model.info().name(), session.runner(),
                new AnalysisRequest(PREDICTION, model, new Selection(null, null, spec.isEmpty() ? null : spec), Map.of(), 0));
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                Run r = job.run();
                if (event.getResult().getSeverity() == IStatus.OK && r != null && !results.isDisposed()) {
                    results.getDisplay().asyncExec(() -> show(r));
                }
            }
        });
        status.setText("Predicting ...");
        if (!session.schedule(job)) {
            status.setText(model.info().name() + " was closed before the prediction started: press Predict again.");
            return null;
        }
        return job;
    }

    private void show(Run r) {
        if (results.isDisposed()) {
            return;
        }
        last = r;
        clear();
        List<Result> parts = r.result() instanceof CompositeResult c ? c.parts() : List.of(r.result());
        rendering = new RenderSession(r, r.provenance().model(), false, new WorkbenchUnitSelection(getSite().getPage()),
                new ResultRenderers());
        for (Result p : parts) {
            if (p instanceof TextResult t) {
                status.setText(t.text());
            } else if (p instanceof ChartResult || p instanceof ImageGridResult) {
                Control c = rendering.render(results, p);
                int width = Math.max(260, scroll.getClientArea().width - 8);
                GridDataFactory.fillDefaults().grab(true, false).hint(width, SWT.DEFAULT).applyTo(c);
            }
        }
        results.layout(true, true);
        scroll.setMinSize(results.computeSize(scroll.getClientArea().width, SWT.DEFAULT));
        status.getParent().layout(true, true);
    }

    private void clear() {
        if (!results.isDisposed()) {
            for (Control c : results.getChildren()) {
                c.dispose();
            }
        }
        if (rendering != null) {
            rendering.dispose();
            rendering = null;
        }
    }

    @Override
    public void setFocus() {
        images.setFocus();
    }

    @Override
    public void dispose() {
        Session.get().removeModelListener(modelListener);
        clear();
        super.dispose();
    }
}

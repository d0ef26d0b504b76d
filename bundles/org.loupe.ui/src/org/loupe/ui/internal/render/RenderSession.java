package org.loupe.ui.internal.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.registry.PluginFailure;
import org.loupe.core.result.Result;
import org.loupe.core.result.Run;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;
import org.loupe.ui.UnitSelection;

/**
 * One showing of one result: the context its renderers get, and the renderers created for it, which
 * {@link #dispose()} disposes when the controls go away.
 */
public final class RenderSession implements RenderContext {

    private final Run run;
    private final ModelInfo model;
    private final boolean preview;
    private final UnitSelection selection;
    private final ResultRenderers declared;
    private final List<ResultRenderer> created = new ArrayList<>();

    /** Renders parts of {@code run} (null for a preview) computed on {@code model}. */
    public RenderSession(Run run, ModelInfo model, boolean preview, UnitSelection selection, ResultRenderers declared) {
        this.run = run;
        this.model = model;
        this.preview = preview;
        this.selection = selection;
        this.declared = declared;
    }

    @Override
    public Optional<Run> run() {
        return Optional.ofNullable(run);
    }

    @Override
    public ModelInfo model() {
        return model;
    }

    @Override
    public boolean preview() {
        return preview;
    }

    @Override
    public UnitSelection selection() {
        return selection;
    }

    @Override
    public Control renderPart(Composite parent, Result part) {
        Label title = new Label(parent, SWT.NONE);
        title.setText(part.title());
        title.setFont(JFaceResources.getBannerFont());
        GridDataFactory.fillDefaults().indent(0, 6).applyTo(title);
        return render(parent, part);
    }

    /** The control of {@code part} through its declared renderer (a note if there is none), without a title. */
    public Control render(Composite parent, Result part) {
        ResultRenderer renderer;
        try {
            renderer = declared.find(part);
        } catch (PluginFailure f) {
            return failed(parent, f.getMessage());
        }
        Control control;
        if (renderer == null) {
            Label l = new Label(parent, SWT.NONE);
            l.setText("(no view is declared for results of type " + part.getClass().getSimpleName() + "; export it as JSON)");
            control = l;
        } else {
            created.add(renderer);
            Set<Control> before = Set.of(parent.getChildren());
            try {
                control = renderer.render(parent, part, this);
            } catch (RuntimeException | LinkageError e) {
                // what the view drew before it failed would sit beside the note, half finished
                Arrays.stream(parent.getChildren()).filter(c -> !before.contains(c)).forEach(Control::dispose);
                String plugin = declared.declarationFor(part.getClass()).map(ResultRenderers::plugin).orElse("plug-in ?");
                return failed(parent, "P" + plugin.substring(1) + " failed when it showed " + part.title() + ": " + PluginFailure.describe(e)
                        + ". The run itself is intact; export it as JSON.");
            }
        }
        if (control.getLayoutData() == null) {
            GridDataFactory.fillDefaults().grab(true, false).applyTo(control);
        }
        return control;
    }

    /** A note in place of a view whose plug-in failed: the rest of the result still shows. */
    private static Control failed(Composite parent, String message) {
        Label l = new Label(parent, SWT.WRAP);
        l.setText(message);
        l.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_RED));
        GridDataFactory.fillDefaults().grab(true, false).hint(300, SWT.DEFAULT).applyTo(l);
        return l;
    }

    /** Disposes every renderer created so far (call after their controls are disposed). */
    public void dispose() {
        List<ResultRenderer> gone = new ArrayList<>(created);
        created.clear();
        gone.forEach(ResultRenderer::dispose);
    }
}

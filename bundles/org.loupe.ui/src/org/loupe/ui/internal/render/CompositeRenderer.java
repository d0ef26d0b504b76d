package org.loupe.ui.internal.render;

import java.util.List;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/**
 * Shows a {@link CompositeResult}'s parts one below the other, each under its title, through their
 * own renderers; two or more heat maps among them share one overlay editor (side by side over the
 * same image, a strip for several images), placed where the first of them is.
 */
public class CompositeRenderer implements ResultRenderer {

    /** Data key the result editor sets on its top composite, so that only nested composites are indented. */
    public static final String TOP = "org.loupe.ui.result.top";

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        Composite box = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(parent.getData(TOP) != null ? 0 : 12, 0).spacing(8, 10).applyTo(box);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(box);
        List<Result> parts = ((CompositeResult) result).parts();
        List<HeatMapResult> heatMaps = parts.stream().filter(HeatMapResult.class::isInstance).map(HeatMapResult.class::cast).toList();
        boolean together = heatMaps.size() > 1;
        boolean placed = false;
        for (Result p : parts) {
            if (!(together && p instanceof HeatMapResult)) {
                context.renderPart(box, p);
            } else if (!placed) {
                placed = true;
                Label title = new Label(box, SWT.NONE);
                title.setText(heatMaps.size() + " heat maps");
                title.setFont(JFaceResources.getBannerFont());
                GridDataFactory.fillDefaults().indent(0, 6).applyTo(title);
                HeatMapRenderer.editor(box, heatMaps);
            }
        }
        return box;
    }
}

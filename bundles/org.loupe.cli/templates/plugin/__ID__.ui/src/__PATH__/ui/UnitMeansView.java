package __ID__.ui;

import java.util.Locale;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

import __ID__.UnitMeans;

/**
 * Shows {@link UnitMeans} in the result editor: a line naming the hook point and the most active
 * unit, then a table with one row per unit (its mean and peak activation). Renderers only draw;
 * the analysis has computed everything.
 */
public class UnitMeansView implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        UnitMeans r = (UnitMeans) result;
        Composite box = new Composite(parent, SWT.NONE);
        box.setLayout(new GridLayout(1, false));
        GridDataFactory.fillDefaults().grab(true, true).applyTo(box);

        int top = 0;
        for (int u = 1; u < r.units(); u++) {
            top = r.mean()[u] > r.mean()[top] ? u : top;
        }
        Label summary = new Label(box, SWT.WRAP);
        summary.setText(String.format(Locale.ROOT, "%d units of %s; the most active on average is unit %d (mean %.4g)%s", r.units(),
                r.hookPoint(), top, r.units() == 0 ? 0 : r.mean()[top], context.preview() ? " (preview: still running)" : ""));
        GridDataFactory.fillDefaults().grab(true, false).applyTo(summary);

        Table table = new Table(box, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        for (String title : new String[] {"unit", "mean", "peak"}) {
            TableColumn c = new TableColumn(table, SWT.RIGHT);
            c.setText(title);
            c.setWidth(110);
        }
        double[] mean = r.mean();
        double[] peak = r.peak();
        for (int u = 0; u < r.units(); u++) {
            TableItem row = new TableItem(table, SWT.NONE);
            row.setText(new String[] {Integer.toString(u), String.format(Locale.ROOT, "%.4g", mean[u]), String.format(Locale.ROOT, "%.4g", peak[u])});
        }
        GridDataFactory.fillDefaults().grab(true, true).hint(360, 240).applyTo(table);
        return box;
    }
}

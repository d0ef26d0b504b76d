package org.loupe.ui.internal.render;

import java.util.List;
import java.util.Locale;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.jface.viewers.ViewerComparator;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.UnitRef;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;

/**
 * Shows a {@link TableResult}; click a column header to sort by it (numbers numerically). Unit cells
 * ({@link UnitRef}) show as blue links: clicking one selects the unit in the Model view.
 */
public class TableRenderer implements ResultRenderer {

    private Color link;

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        TableResult t = (TableResult) result;
        TableViewer viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL | SWT.MULTI);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        Sorter sorter = new Sorter();
        link = new Color(0x00, 0x5F, 0xCC);
        viewer.getTable().addListener(SWT.MouseUp, e -> {
            Object cell = cellAt(viewer.getTable(), e.x, e.y);
            if (e.button == 1 && cell instanceof UnitRef u) {
                context.selection().select(u);
            }
        });
        viewer.getTable().addListener(SWT.MouseMove, e -> {
            Object cell = cellAt(viewer.getTable(), e.x, e.y);
            viewer.getTable().setCursor(cell instanceof UnitRef ? viewer.getTable().getDisplay().getSystemCursor(SWT.CURSOR_HAND) : null);
            viewer.getTable().setToolTipText(cell instanceof UnitRef u ? "Click to select " + u.link() + " in the Model view" : null);
        });
        for (int c = 0; c < t.columns().size(); c++) {
            int col = c;
            TableViewerColumn column = new TableViewerColumn(viewer, SWT.RIGHT);
            column.getColumn().setText(t.columns().get(c));
            column.getColumn().setWidth(Math.max(70, 9 * t.columns().get(c).length() + 20));
            column.setLabelProvider(new ColumnLabelProvider() {
                @Override
                @SuppressWarnings("unchecked")
                public String getText(Object element) {
                    return format(((List<Object>) element).get(col));
                }

                @Override
                @SuppressWarnings("unchecked")
                public Color getForeground(Object element) {
                    return ((List<Object>) element).get(col) instanceof UnitRef ? link : null;
                }
            });
            column.getColumn().addListener(SWT.Selection, e -> {
                sorter.sortBy(col);
                viewer.getTable().setSortColumn(column.getColumn());
                viewer.getTable().setSortDirection(sorter.ascending ? SWT.UP : SWT.DOWN);
                viewer.refresh();
            });
        }
        viewer.setComparator(sorter);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setInput(t.rows());
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, Math.min(320, 24 + 22 * t.rows().size())).applyTo(viewer.getControl());
        return viewer.getControl();
    }

    @Override
    public void dispose() {
        if (link != null) {
            link.dispose();
        }
    }

    /** The cell value at (x, y) in the table, or null. */
    @SuppressWarnings("unchecked")
    static Object cellAt(Table table, int x, int y) {
        TableItem item = table.getItem(new Point(x, y));
        if (item == null) {
            return null;
        }
        for (int c = 0; c < table.getColumnCount(); c++) {
            if (item.getBounds(c).contains(x, y)) {
                return ((List<Object>) item.getData()).get(c);
            }
        }
        return null;
    }

    static String format(Object v) {
        if (v instanceof UnitRef u) {
            return u.label();
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e9) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return Math.abs(d) >= 1e-3 && Math.abs(d) < 1e6 ? String.format(Locale.ROOT, "%.4f", d) : String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(v);
    }

    /** Sorts rows by one column; numbers before text. */
    private static final class Sorter extends ViewerComparator {
        private int column = -1;
        private boolean ascending = true;

        void sortBy(int c) {
            ascending = c != column || !ascending;
            column = c;
        }

        @Override
        @SuppressWarnings("unchecked")
        public int compare(Viewer viewer, Object a, Object b) {
            if (column < 0) {
                return 0;
            }
            Object x = ((List<Object>) a).get(column);
            Object y = ((List<Object>) b).get(column);
            int r;
            if (x instanceof Number n && y instanceof Number m) {
                r = Double.compare(n.doubleValue(), m.doubleValue());
            } else {
                r = String.valueOf(x).compareTo(String.valueOf(y));
            }
            return ascending ? r : -r;
        }
    }
}

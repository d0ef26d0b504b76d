package org.loupe.ui.internal.views;

import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.part.ViewPart;
import org.loupe.core.store.RunStore;
import org.loupe.core.store.RunSummary;
import org.loupe.ui.Session;
import org.loupe.ui.internal.editors.ResultEditor;
import org.loupe.ui.internal.editors.RunEditorInput;

/**
 * The history of runs in the run store, newest first, including runs from the command line.
 * Double-click reopens a result; the context menu opens, refreshes and deletes. The store is read
 * in a background job.
 */
public class RunsView extends ViewPart {

    /** The view's id. */
    public static final String ID = "org.loupe.ui.runsView";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private TableViewer viewer;
    private Label status;
    private final Consumer<RunSummary> saved = s -> refresh();
    private final Consumer<RunStore> moved = s -> {
        s.addListener(saved);
        refresh();
    };

    @Override
    public void createPartControl(Composite parent) {
        GridLayoutFactory.fillDefaults().spacing(0, 2).applyTo(parent);
        viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI | SWT.V_SCROLL);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        column("Started", 110, s -> TIME.format(s.started()));
        column("Result", 220, RunSummary::title);
        column("Model", 140, RunSummary::modelName);
        column("Hook point", 90, s -> s.hookPoint() == null ? "" : s.hookPoint());
        column("Time", 60, s -> String.format(Locale.ROOT, "%.1f s", s.durationMillis() / 1000.0));
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.addDoubleClickListener(e -> openSelected());
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
        status = new Label(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).indent(4, 0).applyTo(status);

        Action open = action("Open", this::openSelected);
        Action refresh = action("Refresh", this::refresh);
        refresh.setActionDefinitionId("org.eclipse.ui.file.refresh");
        Action delete = action("Delete...", this::deleteSelected);
        MenuManager menu = new MenuManager();
        menu.add(open);
        menu.add(refresh);
        menu.add(delete);
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        getViewSite().getActionBars().getToolBarManager().add(refresh);
        getViewSite().getActionBars().getMenuManager().add(refresh);
        getSite().setSelectionProvider(viewer);

        Session session = Session.get();
        session.store().addListener(saved);
        session.addStoreListener(moved);
        refresh();
    }

    private static Action action(String text, Runnable body) {
        return new Action(text) {
            @Override
            public void run() {
                body.run();
            }
        };
    }

    private void column(String title, int width, Function<RunSummary, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((RunSummary) element);
            }
        });
    }

    /** Re-reads the run store in the background and shows it. */
    public Job refresh() {
        RunStore store = Session.get().store();
        Job job = Job.create("Reading runs in " + store.root(), (IProgressMonitor m) -> {
            List<RunSummary> runs = store.list();
            List<String> problems = store.problems();
            if (viewer != null && !viewer.getControl().isDisposed()) {
                viewer.getControl().getDisplay().asyncExec(() -> {
                    if (!viewer.getControl().isDisposed()) {
                        viewer.setInput(runs);
                        status.setText(runs.size() + " runs in " + store.root() + (problems.isEmpty() ? ""
                                : "; " + problems.size() + " unreadable (" + problems.get(0) + ")"));
                        status.getParent().layout();
                    }
                });
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
        return job;
    }

    /** The runs shown. */
    @SuppressWarnings("unchecked")
    public List<RunSummary> runs() {
        Object in = viewer.getInput();
        return in == null ? List.of() : (List<RunSummary>) in;
    }

    /** Opens the selected runs in result editors. */
    public void openSelected() {
        for (Object o : ((IStructuredSelection) viewer.getSelection()).toList()) {
            open((RunSummary) o);
        }
    }

    /** Opens one run in a result editor. */
    public void open(RunSummary s) {
        try {
            getSite().getPage().openEditor(new RunEditorInput(s.id(), Session.get().store().root(), s.title()), ResultEditor.ID);
        } catch (PartInitException e) {
            Session.get().reportError(e.getStatus());
        }
    }

    private void deleteSelected() {
        List<?> sel = ((IStructuredSelection) viewer.getSelection()).toList();
        if (sel.isEmpty() || !MessageDialog.openConfirm(getSite().getShell(), "Delete runs",
                "Delete " + sel.size() + " run(s) from " + Session.get().store().root() + "? This cannot be undone.")) {
            return;
        }
        for (Object o : sel) {
            try {
                Session.get().store().delete(((RunSummary) o).id());
            } catch (IOException e) {
                Session.get().reportError(Status.error("Cannot delete run " + ((RunSummary) o).id() + ": " + e.getMessage(), e));
            }
        }
        refresh();
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        Session.get().store().removeListener(saved);
        Session.get().removeStoreListener(moved);
        super.dispose();
    }
}

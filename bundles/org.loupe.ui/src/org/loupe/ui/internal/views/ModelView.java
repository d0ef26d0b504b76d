package org.loupe.ui.internal.views;

import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.part.ViewPart;
import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.UnknownHookPointException;
import org.loupe.core.result.UnitRef;
import org.loupe.ui.Session;

/**
 * The open model: its identity, parameter count and preprocessing, and its hook points as a tree
 * with kind and shape (for an input of the model's size). Selecting a hook point tells the other
 * views (the Analyses view offers what applies to it).
 */
public class ModelView extends ViewPart {

    /** The view's id. */
    public static final String ID = "org.loupe.ui.modelView";

    /** The height of the configuration box, in lines. */
    private static final int CONFIGURATION_LINES = 6;

    private Text header;
    private Label warnings;
    private Text configuration;
    private Text find;
    private Label findMessage;
    private TreeViewer viewer;
    private HookedModel shown;
    private UnitRef selectedUnit;
    private HookNode root = HookNode.tree(java.util.List.of());
    // shows the session's model when the UI thread gets to it, not the one the event named: two
    // models opened at once report from their jobs' threads in either order
    private final Consumer<HookedModel> listener = m -> {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.getControl().getDisplay().asyncExec(() -> show(Session.get().model().orElse(null)));
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        GridLayoutFactory.fillDefaults().spacing(0, 4).applyTo(parent);
        header = new Text(parent, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).indent(4, 4).applyTo(header);
        warnings = new Label(parent, SWT.WRAP);
        warnings.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).indent(4, 0).hint(200, SWT.DEFAULT).applyTo(warnings);
        warnings.setVisible(false);
        // a few lines high and scrolled, so that the hook points keep the room
        configuration = new Text(parent, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, false).indent(4, 0).hint(200, configuration.getLineHeight() * CONFIGURATION_LINES)
                .applyTo(configuration);
        find = new Text(parent, SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        find.setMessage("Go to hook point (name, Enter)");
        GridDataFactory.fillDefaults().grab(true, false).indent(2, 0).applyTo(find);
        find.addListener(SWT.DefaultSelection, e -> goTo(find.getText()));
        findMessage = new Label(parent, SWT.WRAP);
        findMessage.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).indent(4, 0).hint(200, SWT.DEFAULT).applyTo(findMessage);
        findMessage.setVisible(false);
        viewer = new TreeViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL | SWT.SINGLE);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        column("Hook point", 180, n -> n.label());
        column("Kind", 80, n -> n.point() == null ? "" : n.point().kind().id());
        column("Shape", 120, n -> n.point() == null ? "(" + n.count() + ")" : n.point().shape().toString());
        viewer.setContentProvider(new ITreeContentProvider() {
            @Override
            public Object[] getElements(Object input) {
                return ((HookNode) input).children().toArray();
            }

            @Override
            public Object[] getChildren(Object parentElement) {
                return ((HookNode) parentElement).children().toArray();
            }

            @Override
            public Object getParent(Object element) {
                HookNode p = ((HookNode) element).parent();
                return p == null || p == root ? null : p;
            }

            @Override
            public boolean hasChildren(Object element) {
                return !((HookNode) element).children().isEmpty();
            }
        });
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
        getSite().setSelectionProvider(viewer);
        // plug-ins add commands on a hook point through menuContributions at popup:org.loupe.ui.modelView
        MenuManager menu = new MenuManager();
        menu.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        viewer.getControl().setMenu(menu.createContextMenu(viewer.getControl()));
        getSite().registerContextMenu(ID, menu, viewer);
        viewer.addSelectionChangedListener(e -> {
            if (selectedUnit().isEmpty() && selectedUnit != null) {
                selectedUnit = null;
                setContentDescription("");
            }
        });
        Session session = Session.get();
        session.addModelListener(listener);
        show(session.model().orElse(null));
    }

    private void column(String title, int width, java.util.function.Function<HookNode, String> text) {
        TreeViewerColumn c = new TreeViewerColumn(viewer, SWT.LEFT);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((HookNode) element);
            }
        });
    }

    private void show(HookedModel m) {
        if (viewer.getControl().isDisposed()) {
            return;
        }
        shown = m;
        find.setText("");
        findMessage.setText("");
        findMessage.setVisible(false);
        ((GridData) findMessage.getLayoutData()).exclude = true;
        if (m == null) {
            header.setText("No model is open.\nFile > Open Model... (Ctrl+O) opens a built-in model or a file.");
            showConfiguration(null);
            root = HookNode.tree(java.util.List.of());
            viewer.setInput(root);
        } else {
            ModelInfo i = m.info();
            header.setText(String.format(Locale.ROOT, "%s%n%s, %,d parameters, %d hook points%nInput %s%nsha256 %s", i.name(),
                    i.architecture(), i.parameterCount(), m.hookPoints().size(), m.inputSpec().describe(),
                    i.contentHash().substring(0, Math.min(16, i.contentHash().length())))
                    + (m.hookable() ? "" : "\nBlack box: no hook points; inference and input gradients only."));
            showConfiguration(i.withInput(m.inputSpec()));
            root = HookNode.tree(m.hookPoints());
            viewer.setInput(root);
            viewer.expandToLevel(2);
            var nameColumn = viewer.getTree().getColumn(0);
            nameColumn.pack();
            nameColumn.setWidth(Math.max(140, Math.min(320, nameColumn.getWidth() + 12)));
            setContentDescription("");
        }
        setPartName(m == null ? "Model" : "Model: " + m.info().name());
        header.getParent().layout(true, true);
    }

    /**
     * Shows the resolved configuration, one value a line with its origin, and above it a warning
     * for each guess that can change the model's numbers, with the sidecar line that settles it.
     */
    private void showConfiguration(ModelInfo info) {
        StringBuilder lines = new StringBuilder();
        StringBuilder warn = new StringBuilder();
        if (info != null) {
            lines.append("Configuration (file = read from the weights or their published name, config = sidecar or config file, "
                    + "guessed = Loupe's default):");
            for (ConfigValue c : info.configuration()) {
                lines.append("\n  ").append(c.name()).append(": ").append(c.value()).append("  [").append(c.warns() ? "GUESSED" : c.origin().label())
                        .append(c.detail().isEmpty() ? "" : ": " + c.detail()).append("]");
            }
            for (ConfigValue c : info.warnings()) {
                warn.append(warn.length() == 0 ? "" : "\n").append("\u26a0 ").append(c.warning());
            }
        }
        configuration.setText(lines.toString());
        ((GridData) configuration.getLayoutData()).exclude = info == null;
        configuration.setVisible(info != null);
        warnings.setText(warn.toString());
        ((GridData) warnings.getLayoutData()).exclude = warn.length() == 0;
        warnings.setVisible(warn.length() > 0);
    }

    /** The warnings shown for the open model (empty if there are none), for tests. */
    public String warningText() {
        return warnings.isVisible() ? warnings.getText() : "";
    }

    /** The configuration lines shown for the open model, for tests. */
    public String configurationText() {
        return configuration.getText();
    }

    /**
     * Selects the hook point called {@code name}; if there is none, says so with the closest names.
     *
     * @return whether it was found
     */
    public boolean goTo(String name) {
        String n = name.trim();
        String problem = null;
        if (shown == null) {
            problem = "No model is open.";
        } else if (!n.isEmpty()) {
            try {
                shown.hookPoint(n);
            } catch (UnknownHookPointException e) {
                problem = e.getMessage();
            }
        }
        findMessage.setText(problem == null ? "" : problem);
        findMessage.setVisible(problem != null);
        ((GridData) findMessage.getLayoutData()).exclude = problem == null;
        findMessage.getParent().layout(true, true);
        if (problem != null || n.isEmpty()) {
            return false;
        }
        HookNode node = root.find(n);
        viewer.setSelection(new StructuredSelection(node), true);
        return true;
    }

    /**
     * Selects {@code unit}'s hook point and names the unit in the view's description; if the unit
     * belongs to another model than the open one, or the hook point does not exist, says so under
     * the search field.
     *
     * @return whether it was selected
     */
    public boolean selectUnit(UnitRef unit) {
        if (shown != null && !shown.info().id().equals(unit.model())) {
            showProblem("Unit " + unit.link() + " belongs to model '" + unit.model() + "', but '" + shown.info().id()
                    + "' is open: open that model (File > Open Model...) to select it.");
            return false;
        }
        if (!goTo(unit.hookPoint())) {
            return false;
        }
        selectedUnit = unit;
        setContentDescription("Unit " + unit.unit() + " of " + unit.hookPoint());
        return true;
    }

    /** The unit last selected through {@link #selectUnit}, while its hook point stays selected. */
    public java.util.Optional<UnitRef> selectedUnit() {
        var sel = viewer.getStructuredSelection().getFirstElement();
        UnitRef u = selectedUnit;
        return u != null && sel instanceof HookNode n && n.path().equals(u.hookPoint()) ? java.util.Optional.of(u) : java.util.Optional.empty();
    }

    private void showProblem(String problem) {
        findMessage.setText(problem);
        findMessage.setVisible(true);
        ((GridData) findMessage.getLayoutData()).exclude = false;
        findMessage.getParent().layout(true, true);
    }

    /**
     * Adapts to the selected {@link HookPoint} and to the selected {@link UnitRef} (a unit named
     * through {@link #selectUnit}), so that commands contributed to the view's context menu read
     * them through public API.
     */
    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter == HookPoint.class && viewer != null) {
            return viewer.getStructuredSelection().getFirstElement() instanceof HookNode n && n.point() != null ? adapter.cast(n.point()) : null;
        }
        if (adapter == UnitRef.class && viewer != null) {
            return selectedUnit().map(adapter::cast).orElse(null);
        }
        return super.getAdapter(adapter);
    }

    /** The message under the search field (empty when the last search found its hook point). */
    public String findMessage() {
        return findMessage.getText();
    }

    /** The tree viewer (for tests and commands). */
    public TreeViewer viewer() {
        return viewer;
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        Session.get().removeModelListener(listener);
        super.dispose();
    }
}

package org.loupe.ui.internal.dialogs;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.ListDialog;
import org.loupe.core.plugins.PluginChange;
import org.loupe.core.plugins.PluginException;
import org.loupe.core.plugins.PluginInfo;
import org.loupe.core.plugins.PluginManager;
import org.loupe.core.plugins.SitePlugin;

/**
 * Help > Plugins...: the installed plug-ins (built-in and the user's) with what each contributes, and
 * buttons to install one from an update site or a jar, disable or enable one, and uninstall one. Every
 * operation runs as a job; the dialog says what changed, and offers a restart when one is needed.
 */
public class PluginsDialog extends TitleAreaDialog {

    private final PluginManager manager;
    private final Runnable changed;
    private TableViewer table;
    private Button toggle;
    private Button uninstall;
    private final List<Button> actions = new java.util.ArrayList<>();

    /**
     * A dialog on {@code manager}; {@code changed} runs (on the UI thread) after each change, to show it
     * in the views.
     */
    public PluginsDialog(Shell parent, PluginManager manager, Runnable changed) {
        super(parent);
        this.manager = manager;
        this.changed = changed;
        setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Plugins");
        shell.setSize(1250, 720);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle("Plug-ins");
        setMessage("Built-in plug-ins and the ones you installed into " + manager.folder() + ".");
        Composite body = new Composite(area, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(body);
        GridLayoutFactory.swtDefaults().numColumns(2).applyTo(body);
        table = new TableViewer(body, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL | SWT.H_SCROLL);
        table.getTable().setHeaderVisible(true);
        table.getTable().setLinesVisible(true);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table.getControl());
        column("Name", 300, PluginInfo::name);
        column("Id", 230, PluginInfo::id);
        column("Version", 150, PluginInfo::version);
        column("Kind", 70, p -> p.builtIn() ? "built-in" : "user");
        column("State", 70, p -> p.enabled() ? "enabled" : "disabled");
        column("Contributes", 250, PluginInfo::summary);
        ColumnViewerToolTipSupport.enableFor(table);
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.addSelectionChangedListener(e -> updateButtons());

        Composite buttons = new Composite(body, SWT.NONE);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(buttons);
        GridLayoutFactory.fillDefaults().applyTo(buttons);
        button(buttons, "Install from site...", this::installFromSite);
        button(buttons, "Install jar...", this::installJar);
        toggle = button(buttons, "Disable", this::toggle);
        uninstall = button(buttons, "Uninstall", this::uninstall);
        reload();
        return area;
    }

    private void column(String title, int width, Function<PluginInfo, String> text) {
        TableViewerColumn c = new TableViewerColumn(table, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((PluginInfo) element);
            }

            @Override
            public String getToolTipText(Object element) {
                PluginInfo p = (PluginInfo) element;
                StringBuilder b = new StringBuilder(p.name()).append(" (").append(p.id()).append(")");
                p.contributions().forEach((kind, ids) -> b.append("\n").append(kind).append(": ").append(String.join(", ", ids)));
                if (!p.builtIn()) {
                    b.append("\nfrom ").append(p.source());
                }
                return b.toString();
            }
        });
    }

    private Button button(Composite parent, String label, Runnable action) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(label);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(b);
        b.addListener(SWT.Selection, e -> action.run());
        actions.add(b);
        return b;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == IDialogConstants.CLOSE_ID) {
            close();
        }
    }

    private PluginInfo selected() {
        return (PluginInfo) ((IStructuredSelection) table.getSelection()).getFirstElement();
    }

    private void updateButtons() {
        PluginInfo p = selected();
        toggle.setEnabled(p != null);
        toggle.setText(p != null && !p.enabled() ? "Enable" : "Disable");
        uninstall.setEnabled(p != null && !p.builtIn());
        uninstall.setToolTipText(p != null && p.builtIn() ? "Built-in plug-ins can be disabled, not uninstalled" : null);
    }

    private void reload() {
        try {
            PluginInfo keep = selected();
            table.setInput(manager.list());
            if (keep != null) {
                table.getTable().deselectAll();
                for (int i = 0; i < table.getTable().getItemCount(); i++) {
                    if (((PluginInfo) table.getElementAt(i)).id().equals(keep.id())) {
                        table.getTable().select(i);
                    }
                }
            }
        } catch (PluginException e) {
            setErrorMessage(e.getMessage());
        }
        updateButtons();
    }

    private void installFromSite() {
        InputDialog ask = new InputDialog(getShell(), "Install from site", "An update site (a p2 repository): a folder, or a file:, "
                + "http: or https: URL", "", s -> s.isBlank() ? "Give a folder or a URL" : null);
        if (ask.open() != Window.OK) {
            return;
        }
        String site = ask.getValue().trim();
        run("Reading " + site, m -> m.offers(site), offers -> chooseAndInstall(site, offers));
    }

    private void chooseAndInstall(String site, List<SitePlugin> offers) {
        List<SitePlugin> fresh = offers.stream().filter(o -> !o.missing().isEmpty()).toList();
        if (fresh.isEmpty()) {
            setErrorMessage("Loupe already has everything " + site + " offers.");
            return;
        }
        SitePlugin chosen = fresh.get(0);
        if (fresh.size() > 1) {
            ListDialog pick = new ListDialog(getShell());
            pick.setTitle("Install from site");
            pick.setMessage("What to install from " + site + ":");
            pick.setContentProvider(ArrayContentProvider.getInstance());
            pick.setLabelProvider(new LabelProvider() {
                @Override
                public String getText(Object element) {
                    SitePlugin o = (SitePlugin) element;
                    return o.name() + "  (" + o.id() + " " + o.version() + (o.feature() ? ", feature of " + o.bundles().size() + " bundles" : "") + ")";
                }
            });
            pick.setInput(fresh);
            pick.setInitialSelections(chosen);
            if (pick.open() != Window.OK || pick.getResult().length == 0) {
                return;
            }
            chosen = (SitePlugin) pick.getResult()[0];
        }
        String id = chosen.id();
        change("Installing " + id, m -> m.installFromSite(site, id));
    }

    private void installJar() {
        FileDialog d = new FileDialog(getShell(), SWT.OPEN);
        d.setText("Install a plug-in jar");
        d.setFilterExtensions(new String[] {"*.jar", "*"});
        String file = d.open();
        if (file != null) {
            change("Installing " + Path.of(file).getFileName(), m -> m.installJar(Path.of(file)));
        }
    }

    private void toggle() {
        PluginInfo p = selected();
        if (p != null) {
            change((p.enabled() ? "Disabling " : "Enabling ") + p.id(), m -> p.enabled() ? m.disable(p.id()) : m.enable(p.id()));
        }
    }

    private void uninstall() {
        PluginInfo p = selected();
        if (p != null && MessageDialog.openConfirm(getShell(), "Uninstall", "Uninstall " + p.name() + " (" + p.id() + ")?")) {
            change("Uninstalling " + p.id(), m -> m.uninstall(p.id()));
        }
    }

    private interface Operation<T> {
        T apply(PluginManager m) throws PluginException;
    }

    /** Runs a change as a job, then shows its message, reloads, tells the views, and offers a restart if needed. */
    private void change(String title, Operation<PluginChange> op) {
        run(title, op, c -> {
            setErrorMessage(null);
            setMessage(c.message());
            reload();
            changed.run();
            if (c.restartNeeded() && MessageDialog.openQuestion(getShell(), "Restart needed",
                    c.message() + "\n\nRestart Loupe now?")) {
                close();
                org.eclipse.ui.PlatformUI.getWorkbench().restart();
            }
        });
    }

    /** Runs {@code op} in a job with the action buttons off; {@code done} gets its answer on the UI thread, a failure goes to the message area. */
    private <T> void run(String title, Operation<T> op, Consumer<T> done) {
        actions.forEach(b -> b.setEnabled(false));
        setMessage(title + "...");
        org.eclipse.swt.widgets.Display display = getShell().getDisplay();
        Job job = Job.create(title, (IProgressMonitor monitor) -> {
            monitor.beginTask(title, IProgressMonitor.UNKNOWN);
            Object answer;
            try {
                answer = op.apply(manager);
            } catch (PluginException e) {
                answer = e;
            }
            Object result = answer;
            display.asyncExec(() -> {
                if (getShell() == null || getShell().isDisposed()) {
                    return;
                }
                actions.forEach(b -> b.setEnabled(true));
                updateButtons();
                if (result instanceof PluginException e) {
                    setErrorMessage(e.getMessage());
                } else {
                    setErrorMessage(null);
                    @SuppressWarnings("unchecked")
                    T t = (T) result;
                    done.accept(t);
                }
            });
            return Status.OK_STATUS;
        });
        job.setUser(true);
        job.schedule();
    }

    /** For tests: the plug-ins the table shows. */
    public List<PluginInfo> shown() {
        return table.getTable().isDisposed() ? List.of() : java.util.Arrays.stream(table.getTable().getItems()).map(i -> (PluginInfo) i.getData()).toList();
    }
}

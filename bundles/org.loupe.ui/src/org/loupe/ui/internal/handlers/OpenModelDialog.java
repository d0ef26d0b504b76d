package org.loupe.ui.internal.handlers;

import java.util.List;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.loupe.core.registry.BuiltinModelDescriptor;
import org.loupe.core.registry.LoaderDescriptor;

/** Chooses a model to open: a built-in model, or a file any loader can read. */
public class OpenModelDialog extends TitleAreaDialog {

    private final List<BuiltinModelDescriptor> builtins;
    private final List<LoaderDescriptor> loaders;
    private TableViewer table;
    private Text path;
    private String choice;

    /** A dialog listing {@code builtins} and accepting files of {@code loaders}. */
    public OpenModelDialog(Shell parent, List<BuiltinModelDescriptor> builtins, List<LoaderDescriptor> loaders) {
        super(parent);
        this.builtins = builtins;
        this.loaders = loaders;
    }

    /** The chosen built-in id or file path, after OK. */
    public String choice() {
        return choice;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        getShell().setText("Open Model");
        setTitle("Open a model");
        setMessage("Pick a built-in model, or a model file (" + String.join(", ", loaders.stream()
                .flatMap(l -> l.fileExtensions().stream()).map(e -> "." + e).distinct().toList()) + ").");
        Composite c = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(c);
        Label l = new Label(c, SWT.NONE);
        l.setText("Built-in models:");
        GridDataFactory.fillDefaults().span(2, 1).applyTo(l);
        table = new TableViewer(c, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        table.setContentProvider(ArrayContentProvider.getInstance());
        table.setLabelProvider(new LabelProvider() {
            @Override
            public String getText(Object e) {
                BuiltinModelDescriptor b = (BuiltinModelDescriptor) e;
                return b.name() + (b.description().isEmpty() ? "" : " — " + b.description());
            }
        });
        table.setInput(builtins);
        table.addSelectionChangedListener(e -> {
            if (!e.getSelection().isEmpty()) {
                path.setText("");
            }
        });
        table.addDoubleClickListener(e -> okPressed());
        GridDataFactory.fillDefaults().grab(true, true).span(2, 1).hint(520, 120).applyTo(table.getControl());
        Label f = new Label(c, SWT.NONE);
        f.setText("Or a file:");
        GridDataFactory.fillDefaults().span(2, 1).indent(0, 8).applyTo(f);
        path = new Text(c, SWT.BORDER);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(path);
        path.addModifyListener(e -> {
            if (!path.getText().isEmpty()) {
                table.setSelection(null);
            }
        });
        Button browse = new Button(c, SWT.PUSH);
        browse.setText("Browse...");
        browse.addListener(SWT.Selection, e -> browse());
        return area;
    }

    private void browse() {
        FileDialog fd = new FileDialog(getShell(), SWT.OPEN);
        fd.setText("Open model file");
        String all = String.join(";", loaders.stream().flatMap(l -> l.fileExtensions().stream()).filter(x -> !x.equals("/"))
                .map(x -> "*." + x).distinct().toList());
        fd.setFilterExtensions(new String[] {all, "*.*"});
        fd.setFilterNames(new String[] {"Model files (" + all + ")", "All files"});
        String p = fd.open();
        if (p != null) {
            path.setText(p);
        }
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "Open", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
    }

    @Override
    protected void okPressed() {
        Object sel = ((IStructuredSelection) table.getSelection()).getFirstElement();
        if (!path.getText().isBlank()) {
            choice = path.getText().trim();
        } else if (sel instanceof BuiltinModelDescriptor b) {
            choice = b.id();
        } else {
            setErrorMessage("Pick a built-in model or give a file.");
            return;
        }
        super.okPressed();
    }
}

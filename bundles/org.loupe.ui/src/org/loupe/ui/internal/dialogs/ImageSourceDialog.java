package org.loupe.ui.internal.dialogs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.loupe.core.analysis.ParamSpec;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.ImageSourceDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.ui.ImageCanvas;

/**
 * Chooses images: a built-in source (stimuli, datasets) with its parameters and a live preview of
 * the first images, or a folder. The answer is a spec such as {@code curves:orientation=90} or a
 * folder path, as the command line's {@code --image} takes.
 */
public class ImageSourceDialog extends TitleAreaDialog {

    private static final int PREVIEW = 8;

    private final LoupeRegistry registry;
    private final String initial;
    private TableViewer sources;
    private Composite form;
    private ScrolledComposite formScroll;
    private Composite preview;
    private Label problem;
    private final Map<String, Control> controls = new LinkedHashMap<>();
    private Map<String, String> defaults = Map.of();
    private Spinner seed;
    private ImageSourceDescriptor chosen;
    private String folder;
    private String spec;
    private Job previewJob;
    private int generation;

    /**
     * A Choose... button in {@code parent} that opens this dialog on {@code spec}'s text and puts
     * the chosen spec back into it.
     */
    public static Button chooseButton(Composite parent, Text spec, LoupeRegistry registry) {
        Button choose = new Button(parent, SWT.PUSH);
        choose.setText("Choose...");
        choose.setToolTipText("A stimulus or dataset with a preview, or a folder");
        choose.addListener(SWT.Selection, e -> {
            ImageSourceDialog d = new ImageSourceDialog(parent.getShell(), registry, spec.getText());
            if (d.open() == org.eclipse.jface.window.Window.OK) {
                spec.setText(d.spec());
            }
        });
        return choose;
    }

    /** A dialog over the registry's image sources, starting from {@code initial} (a spec, or null). */
    public ImageSourceDialog(Shell parent, LoupeRegistry registry, String initial) {
        super(parent);
        this.registry = registry;
        this.initial = initial;
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    /** The chosen spec, after OK. */
    public String spec() {
        return spec;
    }

    /** The seed chosen for the preview (the analysis uses the run's seed). */
    public int seed() {
        return seed.getSelection();
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        getShell().setText("Choose Images");
        setTitle("Choose images");
        setMessage("A stimulus or dataset with its parameters, or a folder of images. The preview shows the first " + PREVIEW + ".");
        SashForm sash = new SashForm(area, SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, true).hint(1100, 560).applyTo(sash);
        Composite left = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(left);
        sources = new TableViewer(left, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        sources.setContentProvider(ArrayContentProvider.getInstance());
        sources.setLabelProvider(new LabelProvider() {
            @Override
            public String getText(Object e) {
                ImageSourceDescriptor d = (ImageSourceDescriptor) e;
                return d.category() + ": " + d.name();
            }
        });
        List<ImageSourceDescriptor> all = new ArrayList<>(registry.imageSources());
        all.removeIf(d -> d.id().equals("folder"));
        all.sort(java.util.Comparator.comparing(ImageSourceDescriptor::category).thenComparing(ImageSourceDescriptor::name));
        sources.setInput(all);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(sources.getControl());
        Button folderButton = new Button(left, SWT.PUSH);
        folderButton.setText("Folder...");
        folderButton.addListener(SWT.Selection, e -> chooseFolder());
        formScroll = new ScrolledComposite(sash, SWT.V_SCROLL);
        formScroll.setExpandHorizontal(true);
        formScroll.setExpandVertical(true);
        form = new Composite(formScroll, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).applyTo(form);
        formScroll.setContent(form);
        Composite right = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(right);
        problem = new Label(right, SWT.WRAP);
        problem.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_DARK_RED));
        GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(problem);
        preview = new Composite(right, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(preview);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(preview);
        sash.setWeights(2, 4, 4);
        sources.addSelectionChangedListener(e -> choose((ImageSourceDescriptor) ((IStructuredSelection) e.getSelection()).getFirstElement()));
        ImageSourceDescriptor start = all.stream().filter(d -> initial != null && initial.startsWith(d.id())).findFirst()
                .orElse(all.isEmpty() ? null : all.get(0));
        if (start != null) {
            sources.setSelection(new StructuredSelection(start), true);
        }
        return area;
    }

    private void chooseFolder() {
        String dir = new DirectoryDialog(getShell()).open();
        if (dir != null) {
            folder = dir;
            chosen = null;
            sources.setSelection(StructuredSelection.EMPTY);
            rebuildForm(null);
            setMessage("Folder: " + dir);
            schedulePreview();
        }
    }

    private void choose(ImageSourceDescriptor d) {
        if (d == null) {
            return;
        }
        chosen = d;
        folder = null;
        setMessage(d.description().isEmpty() ? d.name() : d.description());
        rebuildForm(d);
        schedulePreview();
    }

    private void rebuildForm(ImageSourceDescriptor d) {
        for (Control c : form.getChildren()) {
            c.dispose();
        }
        controls.clear();
        defaults = new LinkedHashMap<>();
        if (d != null) {
            Map<String, String> given = initialParams(d);
            for (ParamSpec s : specs(d.createFactory())) {
                defaults.put(s.name(), s.defaultValue());
                Label l = new Label(form, SWT.NONE);
                l.setText(s.name());
                l.setToolTipText(s.summary());
                String value = given.getOrDefault(s.name(), s.defaultValue());
                Control c;
                if (!s.choices().isEmpty()) {
                    Combo combo = new Combo(form, SWT.READ_ONLY);
                    combo.setItems(s.choices().toArray(String[]::new));
                    combo.select(Math.max(0, s.choices().indexOf(value)));
                    combo.addListener(SWT.Selection, e -> schedulePreview());
                    c = combo;
                } else if (s.type() == boolean.class) {
                    Button b = new Button(form, SWT.CHECK);
                    b.setSelection(Boolean.parseBoolean(value));
                    b.addListener(SWT.Selection, e -> schedulePreview());
                    c = b;
                } else {
                    Text t = new Text(form, SWT.BORDER);
                    t.setText(value);
                    t.setToolTipText(s.summary());
                    t.addModifyListener(e -> schedulePreview());
                    c = t;
                }
                GridDataFactory.fillDefaults().grab(true, false).hint(80, SWT.DEFAULT).applyTo(c);
                controls.put(s.name(), c);
            }
        }
        Label l = new Label(form, SWT.NONE);
        l.setText("preview seed");
        seed = new Spinner(form, SWT.BORDER);
        seed.setValues(0, 0, Integer.MAX_VALUE, 0, 1, 10);
        seed.addListener(SWT.Modify, e -> schedulePreview());
        form.layout(true, true);
        formScroll.setMinSize(form.computeSize(SWT.DEFAULT, SWT.DEFAULT));
    }

    private Map<String, String> initialParams(ImageSourceDescriptor d) {
        if (initial == null || !initial.startsWith(d.id() + ":")) {
            return Map.of();
        }
        try {
            return ParameterBinder.parseAssignments(List.of(initial.substring(d.id().length() + 1).split(",")));
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    private static <P extends Record> List<ParamSpec> specs(ImageSourceFactory<P> f) {
        return ParameterBinder.specs(f.parametersType(), f.defaults());
    }

    private Map<String, String> changedParams() {
        Map<String, String> out = new LinkedHashMap<>();
        controls.forEach((k, c) -> {
            String v = c instanceof Text t ? t.getText() : c instanceof Combo combo ? combo.getText()
                    : Boolean.toString(((Button) c).getSelection());
            if (!v.equals(defaults.get(k))) {
                out.put(k, v.trim());
            }
        });
        return out;
    }

    /** The spec of the current choice. */
    public String currentSpec() {
        if (folder != null) {
            return folder;
        }
        if (chosen == null) {
            return null;
        }
        Map<String, String> p = changedParams();
        return p.isEmpty() ? chosen.id() : chosen.id() + ":" + p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private void schedulePreview() {
        String s = currentSpec();
        if (s == null || seed == null) {
            return;
        }
        long seedValue = seed.getSelection();
        int gen = ++generation;
        if (previewJob != null) {
            previewJob.cancel();
        }
        previewJob = Job.create("Preview of " + s, (IProgressMonitor m) -> {
            List<RasterImage> imgs = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            String error = null;
            try (ImageSource src = registry.openImages(s, seedValue)) {
                for (SourceImage img : src) {
                    if (m.isCanceled() || imgs.size() >= PREVIEW) {
                        break;
                    }
                    imgs.add(img.image());
                    caps.add(img.label() != null ? img.label() : img.name());
                }
                if (imgs.isEmpty()) {
                    error = "No images: " + String.join("; ", src.problems());
                }
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            String err = error;
            if (!m.isCanceled() && getShell() != null && !getShell().isDisposed()) {
                getShell().getDisplay().asyncExec(() -> showPreview(gen, imgs, caps, err));
            }
            return Status.OK_STATUS;
        });
        previewJob.setSystem(true);
        previewJob.schedule(250);
    }

    private void showPreview(int gen, List<RasterImage> imgs, List<String> caps, String error) {
        if (gen != generation || preview.isDisposed()) {
            return;
        }
        for (Control c : preview.getChildren()) {
            c.dispose();
        }
        problem.setText(error == null ? "" : error);
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setEnabled(error == null);
        }
        if (!imgs.isEmpty()) {
            ImageCanvas canvas = new ImageCanvas(preview, imgs, caps, 4, 100);
            GridDataFactory.fillDefaults().grab(true, true).applyTo(canvas);
        }
        preview.getParent().layout(true, true);
    }

    @Override
    protected void okPressed() {
        spec = currentSpec();
        if (spec == null) {
            setErrorMessage("Choose a source or a folder.");
            return;
        }
        super.okPressed();
    }

    @Override
    public boolean close() {
        if (previewJob != null) {
            previewJob.cancel();
        }
        return super.close();
    }
}

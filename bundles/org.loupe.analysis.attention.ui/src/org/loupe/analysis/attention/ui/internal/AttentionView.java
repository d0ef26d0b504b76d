package org.loupe.analysis.attention.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.loupe.analysis.attention.AttentionResult;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Method;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.FloatMap;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.overlay.LabelledMap;
import org.loupe.ui.overlay.OverlayEditor;
import org.loupe.ui.overlay.OverlaySettings;
import org.loupe.ui.overlay.RangeMode;

/**
 * The attention editor of an {@link AttentionResult}: the overlay editor with the method's map on
 * the image and selectors for method, fusion, discard ratio, start layer, layer, head and query
 * token; clicking a patch makes it the query token and adds where it attends (its row of the
 * layer's attention) and what attends to it (its column) beside the map; below, the raw attention
 * of every head of the layer (click one to show it); the batch as a strip. Every change
 * recomputes the maps with {@code Rollout} in a job and redraws when it is done.
 */
public class AttentionView extends Composite {

    private static final int HEAD_CELL = 96;

    private final AttentionResult result;
    private final OverlayEditor editor;
    private final Combo method;
    private final Combo fusion;
    private final Spinner discard;
    private final Spinner startLayer;
    private final Spinner layer;
    private final Combo head;
    private final Spinner token;
    private final Label tokenName;
    private final Label status;
    private final Label headsTitle;
    private final ImageCanvas heads;
    private AttentionChoice choice;
    private AttentionChoice shown;
    private List<FloatMap> headMaps = List.of();
    private Job job;

    /** The editor of {@code r}, starting from the settings the analysis ran with. */
    public AttentionView(Composite parent, AttentionResult r) {
        super(parent, SWT.NONE);
        this.result = r;
        this.choice = AttentionChoice.of(r);
        AttentionStack first = r.stacks().get(0);
        GridLayoutFactory.fillDefaults().spacing(6, 6).applyTo(this);
        editor = new OverlayEditor(this, new OverlaySettings(Colormap.INFERNO, 0.6, RangeMode.AUTO, 0, 1));
        GridDataFactory.fillDefaults().grab(true, false).applyTo(editor);
        Composite row = editor.extras();
        method = combo(row, "&Method", List.of(Method.values()).stream().map(Method::id).toList());
        fusion = combo(row, "&Fusion", List.of(Fusion.values()).stream().map(Fusion::id).toList());
        discard = spinner(row, "&Discard", 0, 99, "The fraction of the fused attention dropped before rollout (the class token's column is kept)");
        discard.setDigits(2);
        startLayer = spinner(row, "&Start layer", 0, first.layerCount() - 1, "The first layer multiplied by the rollouts");
        layer = spinner(row, "&Layer", 0, first.layerCount() - 1, "The layer of raw attention, of the head grid and of the token's row and column");
        List<String> headNames = new ArrayList<>(List.of("mean"));
        for (int h = 0; h < first.heads(); h++) {
            headNames.add(Integer.toString(h));
        }
        head = combo(row, "H&ead", headNames);
        token = spinner(row, "&Token", -1, first.tokens() - 1, "The query token whose attention is shown (-1: the default); click a patch to choose it");
        tokenName = new Label(row, SWT.NONE);
        status = new Label(this, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
        headsTitle = new Label(this, SWT.NONE);
        GridDataFactory.fillDefaults().indent(0, 6).applyTo(headsTitle);
        List<String> captions = new ArrayList<>();
        List<RasterImage> blank = new ArrayList<>();
        for (int h = 0; h < first.heads(); h++) {
            captions.add("head " + h);
            blank.add(r.images().get(0));
        }
        heads = new ImageCanvas(this, blank, captions, Math.min(first.heads(), 6), HEAD_CELL);
        heads.setToolTipText("The raw attention of each head of the layer from the query token; click one to show it above");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(heads);
        heads.addPaintListener(e -> {
            int h = shown == null ? -1 : shown.head();
            if (h >= 0 && h < heads.size()) {
                Rectangle b = heads.imageBounds(h);
                e.gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION));
                e.gc.setLineWidth(3);
                e.gc.drawRectangle(b.x - 2, b.y - 2, b.width + 3, b.height + 3);
            }
        });

        showChoice();
        editor.setStrip(r.images(), r.labels());
        editor.onStripSelected(i -> update(choice.withImage(i)));
        editor.onCellClicked((panel, cell) -> update(choice.withToken(tokens().patchToken(cell.row(), cell.col()))));
        editor.onSettingsChanged(s -> drawHeads());
        heads.onItemClicked(h -> update(choice.withHead(h).withMethod(Method.RAW)));
        method.addListener(SWT.Selection, e -> update(choice.withMethod(Method.values()[method.getSelectionIndex()])));
        fusion.addListener(SWT.Selection, e -> update(choice.withFusion(Fusion.values()[fusion.getSelectionIndex()])));
        discard.addListener(SWT.Selection, e -> update(choice.withDiscard(discard.getSelection() / 100.0)));
        startLayer.addListener(SWT.Selection, e -> update(choice.withStartLayer(startLayer.getSelection())));
        layer.addListener(SWT.Selection, e -> update(choice.withLayer(layer.getSelection())));
        head.addListener(SWT.Selection, e -> update(choice.withHead(head.getSelectionIndex() - 1)));
        token.addListener(SWT.Selection, e -> update(choice.withToken(token.getSelection())));
        addDisposeListener(e -> {
            if (job != null) {
                job.cancel();
            }
        });
        recompute();
    }

    private static Combo combo(Composite row, String label, List<String> items) {
        Combo c = new Combo(OverlayEditor.labelled(row, label), SWT.READ_ONLY);
        items.forEach(c::add);
        return c;
    }

    private static Spinner spinner(Composite row, String label, int min, int max, String tip) {
        Spinner s = new Spinner(OverlayEditor.labelled(row, label), SWT.BORDER);
        s.setValues(min, min, max, 0, 1, 10);
        s.setToolTipText(tip);
        return s;
    }

    private TokenLayout tokens() {
        return result.stacks().get(choice.image()).layout();
    }

    /** The overlay editor of the main maps. */
    public OverlayEditor editor() {
        return editor;
    }

    /** The head grid: one raw-attention overlay per head of the layer. */
    public ImageCanvas heads() {
        return heads;
    }

    /** The maps of the head grid, as last computed. */
    public List<FloatMap> headMaps() {
        return headMaps;
    }

    /** What the selectors say now. */
    public AttentionChoice choice() {
        return choice;
    }

    /** Whether the maps shown are those of the selectors' current choice (the last job is done). */
    public boolean upToDate() {
        return choice.equals(shown);
    }

    /** The line under the maps: what is being computed, or why a choice cannot be shown. */
    public String status() {
        return status.getText();
    }

    /** Sets a selector by its mnemonic-free label (Method, Fusion, Discard, Start layer, Layer, Head, Token) as a user would. */
    public void choose(String selector, String value) {
        switch (selector) {
            case "Method" -> select(method, value);
            case "Fusion" -> select(fusion, value);
            case "Head" -> select(head, value);
            case "Discard" -> spin(discard, (int) Math.round(Double.parseDouble(value) * 100));
            case "Start layer" -> spin(startLayer, Integer.parseInt(value));
            case "Layer" -> spin(layer, Integer.parseInt(value));
            case "Token" -> spin(token, Integer.parseInt(value));
            default -> throw new IllegalArgumentException("no selector " + selector);
        }
    }

    private static void select(Combo c, String item) {
        int i = c.indexOf(item);
        if (i < 0) {
            throw new IllegalArgumentException("no item " + item + " in " + List.of(c.getItems()));
        }
        c.select(i);
        c.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    }

    private static void spin(Spinner s, int v) {
        s.setSelection(v);
        s.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    }

    private void update(AttentionChoice c) {
        if (c.equals(choice)) {
            return;
        }
        choice = c;
        showChoice();
        recompute();
    }

    private void showChoice() {
        method.select(choice.method().ordinal());
        fusion.select(choice.fusion().ordinal());
        discard.setSelection((int) Math.round(choice.discard() * 100));
        startLayer.setSelection(choice.startLayer());
        layer.setSelection(choice.layer());
        head.select(choice.head() + 1);
        token.setSelection(choice.token());
        tokenName.setText(AttentionMaps.describe(tokens(), choice.token()));
        boolean rollout = choice.method() == Method.ROLLOUT;
        fusion.setEnabled(rollout);
        discard.setEnabled(rollout);
        startLayer.setEnabled(choice.method() != Method.RAW);
        tokenName.getParent().layout(true, true);
        headsTitle.setText("Heads of layer " + choice.layer() + " (raw attention from " + AttentionMaps.describe(tokens(), choice.token())
                + "; click one to show it)");
        if (editor.stripSelection() != choice.image() && editor.strip() != null) {
            editor.selectStrip(choice.image());
        }
    }

    private void recompute() {
        AttentionChoice c = choice;
        if (job != null) {
            job.cancel();
        }
        status.setText("Computing " + AttentionMaps.title(c) + " ...");
        Job j = Job.create("Attention maps of image " + (c.image() + 1), (IProgressMonitor m) -> {
            try {
                AttentionMaps maps = AttentionMaps.compute(result, c);
                if (!m.isCanceled()) {
                    ui(() -> show(c, maps));
                }
            } catch (IllegalArgumentException e) {
                ui(() -> refuse(c, e.getMessage()));
            } catch (RuntimeException e) {
                ui(() -> refuse(c, "the maps could not be computed (" + e.getMessage() + ")"));
                return Status.error("Attention maps failed for " + c, e);
            }
            return m.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
        });
        job = j;
        j.schedule();
    }

    private void ui(Runnable r) {
        if (!isDisposed()) {
            getDisplay().asyncExec(() -> {
                if (!isDisposed()) {
                    r.run();
                }
            });
        }
    }

    private void show(AttentionChoice c, AttentionMaps maps) {
        if (!c.equals(choice)) {
            return;
        }
        editor.setMaps(result.images().get(c.image()), maps.maps());
        editor.setMarkers(maps.marker() == null ? List.of() : List.of(maps.marker()));
        headMaps = maps.heads();
        shown = c;
        drawHeads();
        status.setText(String.format(Locale.ROOT, "Image %d of %d: %s", c.image() + 1, result.size(), result.labels().get(c.image())));
        layout(true, true);
    }

    private void refuse(AttentionChoice c, String message) {
        if (!c.equals(choice)) {
            return;
        }
        shown = c;
        status.setText("Cannot show this: " + message + ".");
    }

    private void drawHeads() {
        RasterImage img = result.images().get(shown == null ? 0 : shown.image());
        OverlaySettings s = editor.settings();
        for (int h = 0; h < headMaps.size() && h < heads.size(); h++) {
            heads.setImage(h, s.draw(img, new LabelledMap("head " + h, headMaps.get(h))));
        }
    }
}

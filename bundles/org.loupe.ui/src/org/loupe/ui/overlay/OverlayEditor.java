package org.loupe.ui.overlay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.layout.RowLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Text;
import org.loupe.core.images.RasterImage;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.OverlayStyle;
import org.loupe.ui.ImageCanvas;
import org.loupe.ui.Session;

/**
 * The overlay editor shared by every view of float maps over images (heat maps, attention,
 * attribution): one image with one or more maps over it side by side (one panel each, with its
 * colour bar), the colormap, opacity and value range (auto, symmetric, fixed) they are drawn with,
 * a readout of the map value under the mouse, an optional callback for clicks on a map cell, and
 * for a batch a strip of images above (clicking one asks the client for that image's maps).
 *
 * <p>Clients put their own selectors in {@link #extras()} and call {@link #setMaps} with what they
 * computed (off the UI thread: the editor only draws). Keyboard: every control has a mnemonic
 * (Alt+C colormap, Alt+P opacity, Alt+R range, Alt+X export); a focused panel moves a cell cursor
 * with the arrow keys and "clicks" it with Enter or Space, the focused strip changes image with the
 * left and right arrow keys; a panel's context menu (right click, or the
 * menu key) has the colormap, the range and export. Export writes what is shown, through
 * {@link OverlayExport}.
 *
 * @since 0.1
 */
public class OverlayEditor extends Composite {

    /** Receives a click (mouse or keyboard) on a cell of a map panel. */
    @FunctionalInterface
    public interface CellListener {
        /**
         * @param panel the index of the panel in the maps last given to {@link #setMaps}
         * @param cell  the cell clicked, in map coordinates
         */
        void clicked(int panel, MapCell cell);
    }

    private static final int STRIP_CELL = 72;

    private final Composite stripBox;
    private final Combo colormap;
    private final Scale opacity;
    private final Combo range;
    private final Text fixedMin;
    private final Text fixedMax;
    private final Composite extras;
    private final Composite panelBox;
    private final Label readout;
    private final List<Panel> panels = new ArrayList<>();
    private final List<CellListener> cellListeners = new ArrayList<>();
    private final List<IntConsumer> stripListeners = new ArrayList<>();
    private final List<Consumer<OverlaySettings>> settingsListeners = new ArrayList<>();
    private OverlaySettings settings;
    private RasterImage image;
    private List<LabelledMap> maps = List.of();
    private List<MapCell> markers = List.of();
    private MapCell cursor;
    private int hoveredPanel = -1;
    private MapCell hovered;
    private ImageCanvas strip;
    private int stripSelection = -1;
    private int cell = -1;

    /** One map's panel: the overlay picture and its colour bar. */
    private record Panel(Composite box, ImageCanvas canvas, ColorBar bar, Label caption, RasterImage[] shown) {
    }

    /** An empty editor drawing with {@code initial} until the controls change it. */
    public OverlayEditor(Composite parent, OverlaySettings initial) {
        super(parent, SWT.NONE);
        this.settings = initial;
        GridLayoutFactory.fillDefaults().spacing(6, 6).applyTo(this);
        stripBox = new Composite(this, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(stripBox);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(stripBox);
        stripBox.setVisible(false);

        Composite controls = new Composite(this, SWT.NONE);
        RowLayoutFactory.fillDefaults().wrap(true).spacing(14).center(true).applyTo(controls);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(controls);
        Composite cm = labelled(controls, "&Colormap");
        colormap = new Combo(cm, SWT.READ_ONLY);
        for (Colormap c : Colormap.values()) {
            colormap.add(c.name().toLowerCase(Locale.ROOT));
        }
        Composite op = labelled(controls, "O&pacity");
        opacity = new Scale(op, SWT.HORIZONTAL);
        opacity.setMinimum(0);
        opacity.setMaximum(100);
        opacity.setIncrement(5);
        opacity.setPageIncrement(10);
        opacity.setLayoutData(new org.eclipse.swt.layout.RowData(120, SWT.DEFAULT));
        Composite rg = labelled(controls, "&Range");
        range = new Combo(rg, SWT.READ_ONLY);
        for (RangeMode m : RangeMode.values()) {
            range.add(m.label());
        }
        fixedMin = new Text(rg, SWT.BORDER);
        fixedMin.setToolTipText("The value drawn with the colormap's first colour (fixed range; Enter applies)");
        new Label(rg, SWT.NONE).setText("to");
        fixedMax = new Text(rg, SWT.BORDER);
        fixedMax.setToolTipText("The value drawn with the colormap's last colour (fixed range; Enter applies)");
        fixedMin.setLayoutData(new org.eclipse.swt.layout.RowData(70, SWT.DEFAULT));
        fixedMax.setLayoutData(new org.eclipse.swt.layout.RowData(70, SWT.DEFAULT));
        Button export = new Button(controls, SWT.PUSH);
        export.setText("E&xport view...");
        export.setToolTipText("Write each map as PNG (alone and over the image, with its colour bar) and its raw values as NPY and CSV");

        extras = new Composite(this, SWT.NONE);
        RowLayoutFactory.fillDefaults().spacing(6).center(true).applyTo(extras);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(extras);
        extras.setVisible(false);

        panelBox = new Composite(this, SWT.NONE);
        RowLayoutFactory.fillDefaults().wrap(true).spacing(10).applyTo(panelBox);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(panelBox);
        readout = new Label(this, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(readout);
        readout.setText("Point at a map to read its value.");

        showSettings();
        colormap.addListener(SWT.Selection, e -> apply(settings.withColormap(Colormap.values()[colormap.getSelectionIndex()])));
        opacity.addListener(SWT.Selection, e -> apply(settings.withOpacity(opacity.getSelection() / 100.0)));
        range.addListener(SWT.Selection, e -> chooseRange(RangeMode.values()[range.getSelectionIndex()]));
        fixedMin.addListener(SWT.DefaultSelection, e -> applyFixedText());
        fixedMax.addListener(SWT.DefaultSelection, e -> applyFixedText());
        fixedMin.addListener(SWT.FocusOut, e -> applyFixedText());
        fixedMax.addListener(SWT.FocusOut, e -> applyFixedText());
        export.addListener(SWT.Selection, e -> exportInteractively());
    }

    /**
     * A group in a row of controls (such as {@link #extras()}): {@code label} (with its mnemonic),
     * then the controls the caller creates in the returned composite, kept together when the row wraps.
     */
    public static Composite labelled(Composite row, String label) {
        Composite c = new Composite(row, SWT.NONE);
        RowLayoutFactory.fillDefaults().spacing(4).center(true).applyTo(c);
        new Label(c, SWT.NONE).setText(label);
        return c;
    }

    /** A composite (a row) below the controls for the client's own selectors; shown once it has children. */
    public Composite extras() {
        if (!extras.getVisible()) {
            extras.setVisible(true);
            ((org.eclipse.swt.layout.GridData) extras.getLayoutData()).exclude = false;
        }
        return extras;
    }

    /** The settings the maps are drawn with. */
    public OverlaySettings settings() {
        return settings;
    }

    /** Draws with {@code s} from now on, and shows it in the controls. */
    public void setSettings(OverlaySettings s) {
        showSettingsOf(s);
    }

    private void showSettingsOf(OverlaySettings s) {
        settings = s;
        showSettings();
        apply(s);
    }

    /** The image under the maps (null for none). */
    public RasterImage image() {
        return image;
    }

    /** The maps shown, one panel each. */
    public List<LabelledMap> maps() {
        return maps;
    }

    /**
     * Shows {@code newMaps} over {@code newImage} (null for maps alone, when opacity does not apply),
     * side by side in that order. Panels are reused when the number of maps and the image size stay.
     */
    public void setMaps(RasterImage newImage, List<LabelledMap> newMaps) {
        int newCell = cellFor(newImage, newMaps);
        boolean rebuild = newMaps.size() != panels.size() || newCell != cell || (image == null) != (newImage == null)
                || (image != null && (image.width() != newImage.width() || image.height() != newImage.height()));
        image = newImage;
        maps = List.copyOf(newMaps);
        cell = newCell;
        opacity.setEnabled(image != null);
        if (cursor != null && !maps.isEmpty() && (cursor.row() >= maps.get(0).map().height() || cursor.col() >= maps.get(0).map().width())) {
            cursor = null;
        }
        if (rebuild) {
            panels.forEach(p -> p.box().dispose());
            panels.clear();
            for (int i = 0; i < maps.size(); i++) {
                panels.add(newPanel(i));
            }
            showRange();
            relayout();
        } else {
            redrawMaps();
        }
        if (hovered != null && hoveredPanel < maps.size()) {
            hover(hoveredPanel, hovered);
        }
    }

    /** Outlines these cells on every panel (the token clicked, the patch chosen); empty for none. */
    public void setMarkers(List<MapCell> cells) {
        markers = List.copyOf(cells);
        panels.forEach(p -> p.canvas().redraw());
    }

    /** The cells outlined. */
    public List<MapCell> markers() {
        return markers;
    }

    /** Calls {@code l} for each click on a map cell (first button, or Enter/Space on the cell cursor). */
    public void onCellClicked(CellListener l) {
        cellListeners.add(l);
    }

    /**
     * Shows a strip of the batch's images above the maps (hidden for fewer than two); clicking one
     * selects it and tells the {@link #onStripSelected} listeners, who then give its maps.
     */
    public void setStrip(List<RasterImage> images, List<String> captions) {
        if (strip != null) {
            strip.dispose();
            strip = null;
        }
        boolean show = images.size() > 1;
        stripBox.setVisible(show);
        ((org.eclipse.swt.layout.GridData) stripBox.getLayoutData()).exclude = !show;
        if (show) {
            strip = new ImageCanvas(stripBox, images, captions, images.size(), STRIP_CELL);
            strip.setToolTipText("Click an image to show its maps (or the left and right arrow keys)");
            GridDataFactory.fillDefaults().grab(true, false).applyTo(strip);
            strip.onItemClicked(this::selectStrip);
            strip.addListener(SWT.MouseDown, e -> strip.setFocus());
            strip.addListener(SWT.Traverse, e -> {
                if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                    e.doit = true;
                }
            });
            strip.addListener(SWT.KeyDown, e -> {
                int next = e.keyCode == SWT.ARROW_LEFT ? stripSelection - 1 : e.keyCode == SWT.ARROW_RIGHT ? stripSelection + 1 : -1;
                if (next >= 0 && next < strip.size() && next != stripSelection) {
                    selectStrip(next);
                }
            });
            strip.addPaintListener(e -> {
                if (stripSelection >= 0 && stripSelection < strip.size()) {
                    Rectangle r = strip.imageBounds(stripSelection);
                    e.gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION));
                    e.gc.setLineWidth(3);
                    e.gc.drawRectangle(r.x - 3, r.y - 3, r.width + 5, r.height + 5);
                }
            });
        }
        stripSelection = images.isEmpty() ? -1 : 0;
        relayout();
    }

    /** The strip of images, or null when there is none. */
    public ImageCanvas strip() {
        return strip;
    }

    /** The index of the image selected in the strip (0 before any click; -1 without images). */
    public int stripSelection() {
        return stripSelection;
    }

    /** Selects image {@code i} of the strip and tells the listeners. */
    public void selectStrip(int i) {
        stripSelection = i;
        if (strip != null) {
            strip.redraw();
        }
        stripListeners.forEach(l -> l.accept(i));
    }

    /** Calls {@code l} with the index of each image selected in the strip. */
    public void onStripSelected(IntConsumer l) {
        stripListeners.add(l);
    }

    /** The canvas of panel {@code i} (one image: the overlay). */
    public ImageCanvas panel(int i) {
        return panels.get(i).canvas();
    }

    /** The picture panel {@code i} shows now (the map coloured and blended over the image). */
    public RasterImage shown(int i) {
        return panels.get(i).shown()[0];
    }

    /** The style panel {@code i} is drawn with now. */
    public OverlayStyle styleOf(int i) {
        return panels.get(i).bar().style();
    }

    /** The text under the panels: the value under the mouse or the cell cursor, or what export did. */
    public String readout() {
        return readout.getText();
    }

    /** The cell under control point (x, y) of panel {@code i}'s canvas, or null outside the map. */
    public MapCell cellAt(int i, int x, int y) {
        Rectangle r = panels.get(i).canvas().imageBounds(0);
        LabelledMap m = maps.get(i);
        return MapCell.at(x - r.x, y - r.y, r.width, r.height, m.map().height(), m.map().width());
    }

    /** The centre of {@code c} on panel {@code i}'s canvas, in control coordinates. */
    public org.eclipse.swt.graphics.Point centreOf(int i, MapCell c) {
        Rectangle r = cellBounds(i, c);
        return new org.eclipse.swt.graphics.Point(r.x + r.width / 2, r.y + r.height / 2);
    }

    /** Writes the shown maps with {@link OverlayExport} into {@code dir} in a background job; the readout says what happened. */
    public Job export(Path dir) {
        RasterImage img = image;
        List<LabelledMap> ms = maps;
        OverlaySettings s = settings;
        Job job = Job.create("Exporting " + ms.size() + " maps", (IProgressMonitor m) -> {
            try {
                List<Path> files = OverlayExport.write(img, ms, s, dir);
                say("Exported " + files.size() + " files to " + dir);
                return new Status(IStatus.OK, "org.loupe.ui", "Exported " + files.size() + " files to " + dir);
            } catch (IOException e) {
                say("Not exported: " + e.getMessage());
                return Status.error("Export to " + dir + " failed: " + e.getMessage(), e);
            }
        });
        job.setUser(true);
        Session.get().reportFailures(job);
        job.schedule();
        return job;
    }

    private void say(String text) {
        if (!isDisposed()) {
            getDisplay().asyncExec(() -> {
                if (!readout.isDisposed()) {
                    readout.setText(text);
                    readout.getParent().layout(new Control[] {readout});
                }
            });
        }
    }

    private void exportInteractively() {
        if (maps.isEmpty()) {
            return;
        }
        DirectoryDialog d = new DirectoryDialog(getShell());
        d.setText("Export view");
        d.setMessage("Choose a folder for the maps (PNG, NPY, CSV) as they are shown");
        String dir = d.open();
        if (dir != null) {
            export(Path.of(dir));
        }
    }

    /** One map at 256-512 pixels (the image's width), two to three at 256, more at 192. */
    private static int cellFor(RasterImage img, List<LabelledMap> ms) {
        if (ms.size() <= 1) {
            int width = img != null ? img.width() : ms.isEmpty() ? 256 : ms.get(0).map().width();
            return Math.max(256, Math.min(512, width));
        }
        return ms.size() <= 3 ? 256 : 192;
    }

    private Panel newPanel(int i) {
        LabelledMap m = maps.get(i);
        OverlayStyle style = settings.styleFor(m);
        RasterImage picture = OverlaySettings.draw(image, m, style);
        Composite box = new Composite(panelBox, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(2, 2).applyTo(box);
        ImageCanvas canvas = new ImageCanvas(box, List.of(picture), List.of(""), 1, cell);
        Rectangle drawn = canvas.imageBounds(0);
        GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.BEGINNING).hint(SWT.DEFAULT, 2 * drawn.y + drawn.height).applyTo(canvas);
        ColorBar bar = new ColorBar(box, style, drawn.height);
        GridDataFactory.fillDefaults().align(SWT.BEGINNING, SWT.BEGINNING).applyTo(bar);
        Label caption = new Label(box, SWT.WRAP);
        caption.setText(m.label());
        GridDataFactory.fillDefaults().span(2, 1).indent(6, 0).hint(cell, SWT.DEFAULT).applyTo(caption);
        Panel p = new Panel(box, canvas, bar, caption, new RasterImage[] {picture});
        canvas.addPaintListener(e -> paintMarkers(e.gc, i));
        canvas.addListener(SWT.MouseMove, e -> hover(i, cellAt(i, e.x, e.y)));
        canvas.addListener(SWT.MouseUp, e -> {
            MapCell c = cellAt(i, e.x, e.y);
            if (c != null && e.button == 1) {
                cursor = c;
                click(i, c);
            }
        });
        canvas.addListener(SWT.MouseDown, e -> canvas.setFocus());
        canvas.addListener(SWT.Traverse, e -> {
            if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                e.doit = true;
            }
        });
        canvas.addListener(SWT.KeyDown, e -> key(i, e));
        canvas.addListener(SWT.FocusIn, e -> canvas.redraw());
        canvas.addListener(SWT.FocusOut, e -> canvas.redraw());
        canvas.setMenu(contextMenu(canvas));
        return p;
    }


    private void redrawMaps() {
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            OverlayStyle style = settings.styleFor(maps.get(i));
            p.shown()[0] = OverlaySettings.draw(image, maps.get(i), style);
            p.canvas().setImage(0, p.shown()[0]);
            p.bar().setStyle(style);
            p.caption().setText(maps.get(i).label());
        }
        if (!panels.isEmpty()) {
            panelBox.layout(true, true);
        }
        showRange();
    }

    /** The range texts: the fixed range, or (disabled) the first map's range under the chosen mode. */
    private void showRange() {
        OverlayStyle s = settings.range() == RangeMode.FIXED || maps.isEmpty() ? null : settings.styleFor(maps.get(0));
        fixedMin.setText(String.format(Locale.ROOT, "%.4g", s == null ? settings.min() : s.min()));
        fixedMax.setText(String.format(Locale.ROOT, "%.4g", s == null ? settings.max() : s.max()));
    }

    private void apply(OverlaySettings s) {
        settings = s;
        redrawMaps();
        settingsListeners.forEach(l -> l.accept(s));
    }

    /** Calls {@code l} with the new settings whenever the controls (or {@link #setSettings}) change them. */
    public void onSettingsChanged(Consumer<OverlaySettings> l) {
        settingsListeners.add(l);
    }

    private void chooseRange(RangeMode mode) {
        OverlaySettings s = settings.withRange(mode);
        if (mode == RangeMode.FIXED && !maps.isEmpty()) {
            OverlayStyle now = styleOf(0);
            s = s.withFixed(now.min(), now.max());
        }
        showSettingsOf(s);
    }

    private void applyFixedText() {
        if (settings.range() != RangeMode.FIXED) {
            return;
        }
        try {
            if (fixedMin.getText().equals(String.format(Locale.ROOT, "%.4g", settings.min()))
                    && fixedMax.getText().equals(String.format(Locale.ROOT, "%.4g", settings.max()))) {
                return;
            }
            double lo = Double.parseDouble(fixedMin.getText().trim());
            double hi = Double.parseDouble(fixedMax.getText().trim());
            if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                readout.setText("The fixed range needs two finite numbers, the first below the second; got " + fixedMin.getText()
                        + " to " + fixedMax.getText());
                return;
            }
            apply(settings.withFixed(lo, hi));
        } catch (NumberFormatException ex) {
            readout.setText("The fixed range needs two numbers (such as 0 and 1); got '" + fixedMin.getText() + "' to '"
                    + fixedMax.getText() + "'");
        }
    }

    private void showSettings() {
        colormap.select(settings.colormap().ordinal());
        opacity.setSelection((int) Math.round(settings.opacity() * 100));
        range.select(settings.range().ordinal());
        showRange();
        fixedMin.setEnabled(settings.range() == RangeMode.FIXED);
        fixedMax.setEnabled(settings.range() == RangeMode.FIXED);
    }

    private void hover(int i, MapCell c) {
        if (c == null) {
            return;
        }
        LabelledMap m = maps.get(i);
        if (c.row() >= m.map().height() || c.col() >= m.map().width()) {
            return;
        }
        hoveredPanel = i;
        hovered = c;
        readout.setText(String.format(Locale.ROOT, "%s: row %d, column %d (cell %d of %dx%d) = %s", m.label().isEmpty() ? "map" : m.label(),
                c.row(), c.col(), c.index(m.map().width()), m.map().height(), m.map().width(), Float.toString(m.value(c))));
        readout.getParent().layout(new Control[] {readout});
    }

    private void click(int i, MapCell c) {
        hover(i, c);
        panels.forEach(p -> p.canvas().redraw());
        cellListeners.forEach(l -> l.clicked(i, c));
    }

    private void key(int i, Event e) {
        LabelledMap m = maps.get(i);
        MapCell c = cursor == null ? new MapCell(m.map().height() / 2, m.map().width() / 2) : cursor;
        int row = c.row();
        int col = c.col();
        switch (e.keyCode) {
            case SWT.ARROW_UP -> row = Math.max(0, row - 1);
            case SWT.ARROW_DOWN -> row = Math.min(m.map().height() - 1, row + 1);
            case SWT.ARROW_LEFT -> col = Math.max(0, col - 1);
            case SWT.ARROW_RIGHT -> col = Math.min(m.map().width() - 1, col + 1);
            case SWT.CR, SWT.KEYPAD_CR, ' ' -> {
                cursor = c;
                click(i, c);
                return;
            }
            default -> {
                return;
            }
        }
        cursor = new MapCell(row, col);
        hover(i, cursor);
        panels.forEach(p -> p.canvas().redraw());
    }

    /** The cursor cell (moved with the arrow keys or set by a click), or null. */
    public MapCell cursor() {
        return cursor;
    }

    private Rectangle cellBounds(int i, MapCell c) {
        Rectangle r = panels.get(i).canvas().imageBounds(0);
        LabelledMap m = maps.get(i);
        int x0 = r.x + (int) Math.round((double) c.col() * r.width / m.map().width());
        int x1 = r.x + (int) Math.round((double) (c.col() + 1) * r.width / m.map().width());
        int y0 = r.y + (int) Math.round((double) c.row() * r.height / m.map().height());
        int y1 = r.y + (int) Math.round((double) (c.row() + 1) * r.height / m.map().height());
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    private void paintMarkers(GC gc, int i) {
        if (i >= maps.size()) {
            return;
        }
        gc.setLineWidth(2);
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_CYAN));
        for (MapCell c : markers) {
            if (c.row() < maps.get(i).map().height() && c.col() < maps.get(i).map().width()) {
                Rectangle r = cellBounds(i, c);
                gc.drawRectangle(r.x, r.y, r.width - 1, r.height - 1);
            }
        }
        if (cursor != null && panels.get(i).canvas().isFocusControl()) {
            gc.setLineWidth(1);
            gc.setLineStyle(SWT.LINE_DASH);
            gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
            Rectangle r = cellBounds(i, cursor);
            gc.drawRectangle(r.x, r.y, r.width - 1, r.height - 1);
            gc.setLineStyle(SWT.LINE_SOLID);
        }
    }

    private Menu contextMenu(Control owner) {
        Menu menu = new Menu(owner);
        radioMenu(menu, "&Colormap", Colormap.values(), c -> c.name().toLowerCase(Locale.ROOT), () -> settings.colormap(),
                c -> setSettings(settings.withColormap(c)));
        radioMenu(menu, "&Range", RangeMode.values(), RangeMode::label, () -> settings.range(), this::chooseRange);
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem ex = new MenuItem(menu, SWT.PUSH);
        ex.setText("E&xport view...");
        ex.addListener(SWT.Selection, e -> exportInteractively());
        return menu;
    }

    /** A cascade of radio items, one per value, checked at the current value whenever the menu opens. */
    private static <T> void radioMenu(Menu menu, String text, T[] values, Function<T, String> label, Supplier<T> current, Consumer<T> choose) {
        MenuItem cascade = new MenuItem(menu, SWT.CASCADE);
        cascade.setText(text);
        Menu sub = new Menu(cascade);
        cascade.setMenu(sub);
        for (T v : values) {
            MenuItem it = new MenuItem(sub, SWT.RADIO);
            it.setText(label.apply(v));
            it.addListener(SWT.Selection, e -> {
                if (it.getSelection() && current.get() != v) {
                    choose.accept(v);
                }
            });
        }
        menu.addListener(SWT.Show, e -> {
            for (int k = 0; k < values.length; k++) {
                sub.getItem(k).setSelection(values[k] == current.get());
            }
        });
    }

    private void relayout() {
        layout(true, true);
        Composite p = getParent();
        while (p != null) {
            p.layout(true, false);
            if (p instanceof org.eclipse.swt.custom.ScrolledComposite sc) {
                Control content = sc.getContent();
                if (content != null) {
                    sc.setMinSize(content.computeSize(Math.max(400, sc.getClientArea().width), SWT.DEFAULT));
                }
                break;
            }
            p = p.getParent();
        }
    }
}

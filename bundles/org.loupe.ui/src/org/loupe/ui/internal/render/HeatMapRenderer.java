package org.loupe.ui.internal.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Spinner;
import org.loupe.core.images.RasterImage;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.ui.RenderContext;
import org.loupe.ui.ResultRenderer;
import org.loupe.ui.overlay.LabelledMap;
import org.loupe.ui.overlay.OverlayEditor;
import org.loupe.ui.overlay.OverlaySettings;
import org.loupe.ui.overlay.RangeMode;

/**
 * Shows {@link HeatMapResult}s in the {@link OverlayEditor}: one heat map alone, or (for a
 * composite) several at once, side by side when they lie over the same image and with a strip of
 * the images when they lie over different ones. The stored style is where the controls start; a
 * map of several channels gets a channel selector. Changing them only redraws: the stored maps are
 * untouched.
 */
public class HeatMapRenderer implements ResultRenderer {

    @Override
    public Control render(Composite parent, Result result, RenderContext context) {
        return editor(parent, List.of((HeatMapResult) result));
    }

    /** An overlay editor showing {@code heatMaps}, grouped by the image under them (one group per strip image, in order). */
    public static OverlayEditor editor(Composite parent, List<HeatMapResult> heatMaps) {
        Map<RasterImage, List<HeatMapResult>> byImage = new LinkedHashMap<>();
        List<HeatMapResult> alone = new ArrayList<>();
        for (HeatMapResult h : heatMaps) {
            if (h.image() == null) {
                alone.add(h);
            } else {
                byImage.computeIfAbsent(h.image(), k -> new ArrayList<>()).add(h);
            }
        }
        List<List<HeatMapResult>> groups = new ArrayList<>(byImage.values());
        if (!alone.isEmpty()) {
            groups.add(alone);
        }
        OverlayEditor editor = new OverlayEditor(parent, initial(heatMaps));
        int channels = heatMaps.stream().mapToInt(h -> h.map().channels()).max().orElse(1);
        Spinner channel = null;
        if (channels > 1) {
            channel = new Spinner(OverlayEditor.labelled(editor.extras(), "C&hannel"), SWT.BORDER);
            channel.setValues(0, 0, channels - 1, 0, 1, 10);
        }
        Spinner ch = channel;
        int[] shownGroup = {0};
        Runnable show = () -> {
            List<HeatMapResult> g = groups.get(shownGroup[0]);
            int c = ch == null ? 0 : ch.getSelection();
            editor.setMaps(g.get(0).image(), g.stream().map(h -> new LabelledMap(label(h, g.size()), h.map(),
                    Math.min(c, h.map().channels() - 1))).toList());
        };
        if (groups.size() > 1) {
            editor.setStrip(groups.stream().map(g -> g.get(0).image() != null ? g.get(0).image() : g.get(0).render(0)).toList(),
                    groups.stream().map(g -> g.get(0).caption()).toList());
            editor.onStripSelected(i -> {
                shownGroup[0] = i;
                show.run();
            });
        }
        if (ch != null) {
            ch.addListener(SWT.Selection, e -> show.run());
        }
        show.run();
        GridDataFactory.fillDefaults().grab(true, false).applyTo(editor);
        return editor;
    }

    /** A lone map is captioned by its caption (its title is above it); side by side, by its title. */
    private static String label(HeatMapResult h, int inGroup) {
        return inGroup == 1 ? h.caption() : h.title();
    }

    /** The stored style of the maps: its range fixed if they all share it, else each map's own. */
    private static OverlaySettings initial(List<HeatMapResult> heatMaps) {
        OverlayStyle first = heatMaps.get(0).style();
        boolean shared = heatMaps.stream().map(HeatMapResult::style)
                .allMatch(s -> s.min() == first.min() && s.max() == first.max());
        OverlaySettings s = OverlaySettings.of(first);
        return shared ? s : s.withRange(RangeMode.AUTO);
    }
}

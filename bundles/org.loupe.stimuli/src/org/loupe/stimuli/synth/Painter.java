package org.loupe.stimuli.synth;

import java.awt.Color;
import java.awt.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

import org.loupe.stimuli.render.Canvas;
import org.loupe.stimuli.render.Figure;

/** Fills a figure over background pixels and records exactly which pixels it changed. */
final class Painter {

    private Painter() {
    }

    /**
     * Draws {@code shape} (pixel coordinates) in {@code color}, antialiased, over {@code background}.
     *
     * @param truth ground truth to which the figure's {@code mask}, {@code area} and {@code bbox} are added
     */
    static Drawn figure(int size, int[] background, int color, Shape shape, String label, Map<String, Object> truth) {
        try (Canvas c = new Canvas(size, size)) {
            c.setPixels(background);
            c.graphics().setColor(new Color(color));
            c.graphics().fill(shape);
            Figure f = Figure.difference(background, c.pixels(), size, size);
            Map<String, Object> t = new LinkedHashMap<>(truth);
            t.putAll(f.truth());
            return new Drawn(c.toRaster(), label, t);
        }
    }
}

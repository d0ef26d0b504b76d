package org.loupe.stimuli.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loupe.core.images.RasterImage;

/**
 * Where a figure (a shape, a curve, a line) is in an image: exactly the pixels that drawing it
 * changed. This is the ground truth that localisation metrics (pointing game, mask overlap) use.
 *
 * @param mask the mask, the same size as the image: {@code 0xFFFFFF} (white) where the figure
 *             changed the pixel, {@code 0x000000} (black) elsewhere. Read it with
 *             {@code mask.pixel(x, y) != 0}; being an image it can be resized and cropped to a
 *             model's input exactly like the image ({@code ImageTensors.fit}, then threshold)
 * @param area the number of mask pixels
 * @param bbox the mask's bounding box {@code [x0, y0, x1, y1]} in pixels, {@code x0 <= x < x1},
 *             {@code y0 <= y < y1} (so the width is {@code x1 - x0}); empty if the mask is empty
 *
 * @since 0.1
 */
public record Figure(RasterImage mask, int area, List<Integer> bbox) {

    /** Copies the box. */
    public Figure {
        bbox = List.copyOf(bbox);
    }

    /** The figure made of the pixels that differ between {@code before} and {@code after}. */
    public static Figure difference(int[] before, int[] after, int width, int height) {
        if (before.length != width * height || after.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels");
        }
        int[] mask = new int[width * height];
        int area = 0;
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (((before[i] ^ after[i]) & 0xFFFFFF) != 0) {
                    mask[i] = 0xFFFFFF;
                    area++;
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new Figure(new RasterImage(width, height, mask), area, area == 0 ? List.of() : List.of(x0, y0, x1 + 1, y1 + 1));
    }

    /** The ground-truth entries {@code mask}, {@code area} and {@code bbox}. */
    public Map<String, Object> truth() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mask", mask);
        m.put("area", area);
        m.put("bbox", bbox);
        return m;
    }
}

package org.loupe.analysis.units.internal;

import java.util.List;

import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.InputSpec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Small image operations for unit pages: the model's view of an image, crops, enlargements. */
public final class Pictures {

    private Pictures() {
    }

    /** {@code image} as the model sees it: resized and cropped to its input, normalisation undone. */
    public static RasterImage modelView(NDManager manager, RasterImage image, InputSpec spec) {
        try (NDManager m = manager.newSubManager()) {
            NDArray input = ImageTensors.toInput(m, List.of(image), spec);
            return ImageTensors.toImage(input, spec);
        }
    }

    /** The pixels of {@code box} ({@code [x0, y0, x1, y1]}) of {@code image}. */
    public static RasterImage crop(RasterImage image, int[] box) {
        int w = box[2] - box[0];
        int h = box[3] - box[1];
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = image.pixel(box[0] + x, box[1] + y);
            }
        }
        return new RasterImage(w, h, rgb);
    }

    /** {@code image} enlarged {@code f} times (nearest neighbour). */
    public static RasterImage enlarge(RasterImage image, int f) {
        if (f <= 1) {
            return image;
        }
        int w = image.width() * f;
        int h = image.height() * f;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = image.pixel(x / f, y / f);
            }
        }
        return new RasterImage(w, h, rgb);
    }

    /**
     * A kernel slice as a picture: positive weights red, negative blue, zero white, scaled by
     * {@code scale} (the largest magnitude shown at full colour), each weight {@code cell} pixels.
     */
    public static RasterImage kernel(float[] weights, int rows, int cols, float scale, int cell) {
        int w = cols * cell;
        int h = rows * cell;
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = scale > 0 ? Math.max(-1, Math.min(1, weights[(y / cell) * cols + x / cell] / scale)) : 0;
                int fade = (int) Math.round(255 * (1 - Math.abs(v)));
                rgb[y * w + x] = v >= 0 ? (255 << 16) | (fade << 8) | fade : (fade << 16) | (fade << 8) | 255;
            }
        }
        return new RasterImage(w, h, rgb);
    }
}

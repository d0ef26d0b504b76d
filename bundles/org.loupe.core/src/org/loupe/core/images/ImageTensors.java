package org.loupe.core.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Turns images into model input and back: resize (shorter side to the input size, bilinear) and
 * centre crop to the model's input, then the model's normalisation. All image sources share this.
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /** Resizes so the shorter side fits, then centre-crops to {@code width x height}. */
    public static RasterImage fit(RasterImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        double scale = Math.max((double) width / image.width(), (double) height / image.height());
        int sw = Math.max(width, (int) Math.round(image.width() * scale));
        int sh = Math.max(height, (int) Math.round(image.height() * scale));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image.toBufferedImage(), -(sw - width) / 2, -(sh - height) / 2, sw, sh, null);
        } finally {
            g.dispose();
        }
        return RasterImage.of(out);
    }

    /** Planar pixel values in [0, 1], {@code [channels, height, width]} flattened; 1 channel = luminance. */
    public static float[] planar(RasterImage image, int channels) {
        int n = image.width() * image.height();
        float[] out = new float[channels * n];
        int[] px = image.rgb();
        for (int i = 0; i < n; i++) {
            float r = ((px[i] >> 16) & 0xFF) / 255f;
            float g = ((px[i] >> 8) & 0xFF) / 255f;
            float b = (px[i] & 0xFF) / 255f;
            if (channels == 3) {
                out[i] = r;
                out[n + i] = g;
                out[2 * n + i] = b;
            } else {
                out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
        return out;
    }

    /** A normalised batch {@code [N, C, H, W]} for {@code spec}, each image fitted to the input size. */
    public static NDArray toInput(NDManager manager, List<RasterImage> images, InputSpec spec) {
        int c = spec.channels();
        int h = spec.height();
        int w = spec.width();
        int per = c * h * w;
        float[] data = new float[images.size() * per];
        Normalization norm = spec.normalization();
        for (int i = 0; i < images.size(); i++) {
            float[] p = planar(fit(images.get(i), w, h), c);
            for (int ch = 0; ch < c; ch++) {
                for (int k = 0; k < h * w; k++) {
                    data[i * per + ch * h * w + k] = norm.apply(ch, p[ch * h * w + k]);
                }
            }
        }
        return manager.create(data, new Shape(images.size(), c, h, w));
    }

    /** Undoes the normalisation of one input {@code [C, H, W]} (or {@code [1, C, H, W]}) into an image. */
    public static RasterImage toImage(NDArray input, InputSpec spec) {
        NDArray x = input.getShape().dimension() == 4 ? input.get(0) : input;
        int c = (int) x.getShape().get(0);
        int h = (int) x.getShape().get(1);
        int w = (int) x.getShape().get(2);
        float[] v = x.toFloatArray();
        Normalization norm = spec.normalization();
        for (int ch = 0; ch < c; ch++) {
            for (int k = 0; k < h * w; k++) {
                v[ch * h * w + k] = norm.invert(ch, v[ch * h * w + k]);
            }
        }
        return RasterImage.fromPlanar(v, c, h, w);
    }
}

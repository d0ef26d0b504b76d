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
 * Turns images into model input and back: resize (shorter side to the input size, bilinear with
 * aligned pixel centres) and centre crop to the model's input, then the model's normalisation. All
 * image sources share this. The same operations on tensors, differentiable, are in
 * {@link TensorOps}.
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /**
     * The size {@code [width, height]} an image of {@code imageWidth x imageHeight} is scaled to
     * so that its shorter side fits a {@code width x height} window: rounded to the nearest pixel,
     * never smaller than the window. The window is then cut from the centre, at offset
     * {@code (scaled - window) / 2} rounded down.
     */
    static int[] scaledSize(long imageWidth, long imageHeight, int width, int height) {
        double scale = Math.max((double) width / imageWidth, (double) height / imageHeight);
        return new int[] {Math.max(width, (int) Math.round(imageWidth * scale)), Math.max(height, (int) Math.round(imageHeight * scale))};
    }

    /**
     * Resizes so the shorter side fits, then centre-crops to {@code width x height}, as an 8-bit
     * image (Java2D's bilinear scaling: the geometry of {@link #toInput}, with pixel values rounded
     * to 8 bits; for masks and display).
     */
    public static RasterImage fit(RasterImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        int[] scaled = scaledSize(image.width(), image.height(), width, height);
        int sw = scaled[0];
        int sh = scaled[1];
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

    /**
     * Bilinear resize of planar values {@code [channels, height, width]} to {@code toHeight x
     * toWidth}, with aligned pixel centres (PyTorch's {@code align_corners=False}, no
     * antialiasing): output pixel {@code i} samples the input at {@code (i + 0.5) * in / out - 0.5},
     * clamped to the edge pixels. Rows first, then columns, in float.
     */
    public static float[] resize(float[] planar, int channels, int height, int width, int toHeight, int toWidth) {
        float[] rows = new float[channels * toHeight * width];
        for (int i = 0; i < toHeight; i++) {
            Tap t = tap(i, height, toHeight);
            for (int ch = 0; ch < channels; ch++) {
                for (int x = 0; x < width; x++) {
                    float a = planar[(ch * height + t.lo) * width + x];
                    float b = planar[(ch * height + t.hi) * width + x];
                    rows[(ch * toHeight + i) * width + x] = a + (b - a) * t.frac;
                }
            }
        }
        float[] out = new float[channels * toHeight * toWidth];
        for (int j = 0; j < toWidth; j++) {
            Tap t = tap(j, width, toWidth);
            for (int r = 0; r < channels * toHeight; r++) {
                float a = rows[r * width + t.lo];
                float b = rows[r * width + t.hi];
                out[r * toWidth + j] = a + (b - a) * t.frac;
            }
        }
        return out;
    }

    /** The two input samples output sample {@code i} of {@code size} interpolates between, and its weight. */
    record Tap(int lo, int hi, float frac) {
    }

    static Tap tap(int i, int in, int size) {
        double src = Math.max(0, (i + 0.5) * in / size - 0.5);
        int lo = Math.min((int) Math.floor(src), in - 1);
        return new Tap(lo, Math.min(lo + 1, in - 1), (float) (src - lo));
    }

    /**
     * A normalised batch {@code [N, C, H, W]} for {@code spec}: each image's pixel values resized
     * in float so that the shorter side fits ({@link #resize}), centre-cropped to the input size
     * and normalised.
     */
    public static NDArray toInput(NDManager manager, List<RasterImage> images, InputSpec spec) {
        int c = spec.channels();
        int h = spec.height();
        int w = spec.width();
        int per = c * h * w;
        float[] data = new float[images.size() * per];
        Normalization norm = spec.normalization();
        for (int i = 0; i < images.size(); i++) {
            RasterImage image = images.get(i);
            int[] scaled = image.width() == w && image.height() == h ? new int[] {w, h} : scaledSize(image.width(), image.height(), w, h);
            float[] p = planar(image, c);
            if (scaled[0] != image.width() || scaled[1] != image.height()) {
                p = resize(p, c, image.height(), image.width(), scaled[1], scaled[0]);
            }
            int top = (scaled[1] - h) / 2;
            int left = (scaled[0] - w) / 2;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        data[i * per + (ch * h + y) * w + x] = norm.apply(ch, p[(ch * scaled[1] + top + y) * scaled[0] + left + x]);
                    }
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

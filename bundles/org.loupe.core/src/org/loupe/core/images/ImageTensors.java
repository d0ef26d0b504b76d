package org.loupe.core.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Resize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Turns images into model input and back: resize and centre crop to the model's input as its
 * {@link Resize} says, then the model's normalisation. Resampling is PIL's antialiased bilinear
 * filter (what torchvision's {@code Resize(antialias=True)} applies to PIL images: a triangle
 * filter stretched by the scale factor when shrinking, plain bilinear with aligned pixel centres
 * when enlarging), computed in float; a {@link Resize.Mode#SHORTER_SIDE} resize and its crop have
 * torchvision's geometry ({@code Resize(n)} rounds the longer side down, {@code CenterCrop}
 * rounds the offset half to even). All image sources share this. The same operations on
 * tensors, differentiable, are in {@link TensorOps}.
 *
 * @since 0.1
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
     * The size {@code [width, height]} an image of {@code imageWidth x imageHeight} is resized to
     * before the crop to {@code spec}'s input: {@link Resize.Mode#FIT} as {@link #scaledSize};
     * {@link Resize.Mode#SHORTER_SIDE} as torchvision's {@code Resize(n)} (shorter side to n, the
     * longer {@code int(n * long / short)}, unchanged if the shorter side is n already);
     * {@link Resize.Mode#STRETCH} the input size.
     */
    public static int[] resizedSize(long imageWidth, long imageHeight, InputSpec spec) {
        int w = spec.width();
        int h = spec.height();
        Resize r = spec.resize();
        if (imageWidth == w && imageHeight == h && r.mode() != Resize.Mode.SHORTER_SIDE) {
            return new int[] {w, h};
        }
        return switch (r.mode()) {
            case FIT -> scaledSize(imageWidth, imageHeight, w, h);
            case STRETCH -> new int[] {w, h};
            case SHORTER_SIDE -> {
                long shorter = Math.min(imageWidth, imageHeight);
                long longer = Math.max(imageWidth, imageHeight);
                int n = r.shorterSide();
                if (shorter == n) {
                    yield new int[] {(int) imageWidth, (int) imageHeight};
                }
                int newLong = (int) ((double) n * longer / shorter);
                yield imageWidth <= imageHeight ? new int[] {n, newLong} : new int[] {newLong, n};
            }
        };
    }

    /**
     * The offset {@code [left, top]} of the input window in an image resized to {@code scaled}:
     * {@code (size - window) / 2} rounded down for {@link Resize.Mode#FIT}, torchvision's
     * {@code CenterCrop} ({@code round((size - window) / 2)}, half to even) for a shorter-side
     * resize, 0 for a stretch.
     */
    public static int[] cropOffset(int[] scaled, InputSpec spec) {
        int dx = scaled[0] - spec.width();
        int dy = scaled[1] - spec.height();
        return switch (spec.resize().mode()) {
            case FIT -> new int[] {dx / 2, dy / 2};
            case SHORTER_SIDE -> new int[] {(int) Math.rint(dx / 2.0), (int) Math.rint(dy / 2.0)};
            case STRETCH -> new int[] {0, 0};
        };
    }

    /**
     * The resampling weights of PIL's bilinear filter from {@code in} samples to {@code out}
     * (Pillow's {@code precompute_coeffs}): output sample {@code i} centred at
     * {@code (i + 0.5) * in / out} takes the inputs within the triangle filter's support, which is
     * stretched by {@code in / out} when shrinking (antialiasing); weights normalised to sum 1.
     * Enlarging, these are the weights of bilinear interpolation with aligned pixel centres.
     */
    public static Taps antialiasedTaps(int in, int out) {
        return antialiasedTaps(in, out, Resize.Interpolation.BILINEAR);
    }

    /** The resampling weights of PIL's {@code filter} (bilinear or bicubic), as {@link #antialiasedTaps(int, int)}. */
    public static Taps antialiasedTaps(int in, int out, Resize.Interpolation filter) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = (filter == Resize.Interpolation.BICUBIC ? 2.0 : 1.0) * filterScale;
        int[] first = new int[out];
        float[][] weights = new float[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale;
            int lo = Math.max(0, (int) (centre - support + 0.5));
            int hi = Math.min(in, (int) (centre + support + 0.5));
            double[] k = new double[Math.max(0, hi - lo)];
            double sum = 0;
            for (int x = 0; x < k.length; x++) {
                k[x] = kernel(filter, (x + lo - centre + 0.5) / filterScale);
                sum += k[x];
            }
            weights[i] = new float[k.length];
            for (int x = 0; x < k.length; x++) {
                weights[i][x] = (float) (sum == 0 ? 0 : k[x] / sum);
            }
            first[i] = lo;
        }
        return new Taps(first, weights);
    }

    /** Pillow's {@code bilinear_filter} and {@code bicubic_filter} (a = -0.5). */
    private static double kernel(Resize.Interpolation filter, double x) {
        double t = Math.abs(x);
        if (filter == Resize.Interpolation.BILINEAR) {
            return t < 1 ? 1 - t : 0;
        }
        double a = -0.5;
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        return t < 2 ? (((t - 5) * t + 8) * t - 4) * a : 0;
    }

    /**
     * Resampling weights: output sample {@code i} is {@code sum_k weights[i][k] * input[first[i] + k]}.
     *
     * @param first   the first input sample of each output sample
     * @param weights the weights of each output sample's inputs
     */
    public record Taps(int[] first, float[][] weights) {
    }

    /**
     * PIL's antialiased bilinear resize of planar values {@code [channels, height, width]} to
     * {@code toHeight x toWidth} ({@link #antialiasedTaps}), in float: along the rows first, then the
     * columns, as Pillow does (which rounds to 8 bits in between and at the end; this does not).
     */
    public static float[] resizeAntialiased(float[] planar, int channels, int height, int width, int toHeight, int toWidth) {
        return resizeAntialiased(planar, channels, height, width, toHeight, toWidth, Resize.Interpolation.BILINEAR);
    }

    /**
     * {@link #resizeAntialiased(float[], int, int, int, int, int)} with PIL's {@code filter}; bicubic
     * values are clipped to [0, 1] after each pass, as Pillow clips to the pixel range.
     */
    public static float[] resizeAntialiased(float[] planar, int channels, int height, int width, int toHeight, int toWidth,
            Resize.Interpolation filter) {
        boolean clip = filter == Resize.Interpolation.BICUBIC;
        float[] cols = planar;
        if (toWidth != width) {
            Taps tx = antialiasedTaps(width, toWidth, filter);
            cols = new float[channels * height * toWidth];
            for (int r = 0; r < channels * height; r++) {
                for (int j = 0; j < toWidth; j++) {
                    float[] k = tx.weights()[j];
                    int base = r * width + tx.first()[j];
                    float v = 0;
                    for (int x = 0; x < k.length; x++) {
                        v += k[x] * planar[base + x];
                    }
                    cols[r * toWidth + j] = clip ? Math.min(1f, Math.max(0f, v)) : v;
                }
            }
        }
        if (toHeight == height) {
            return cols;
        }
        Taps ty = antialiasedTaps(height, toHeight, filter);
        float[] out = new float[channels * toHeight * toWidth];
        for (int ch = 0; ch < channels; ch++) {
            for (int i = 0; i < toHeight; i++) {
                float[] k = ty.weights()[i];
                int row0 = ch * height + ty.first()[i];
                int o = (ch * toHeight + i) * toWidth;
                for (int y = 0; y < k.length; y++) {
                    int in = (row0 + y) * toWidth;
                    for (int j = 0; j < toWidth; j++) {
                        out[o + j] += k[y] * cols[in + j];
                    }
                }
                if (clip) {
                    for (int j = 0; j < toWidth; j++) {
                        out[o + j] = Math.min(1f, Math.max(0f, out[o + j]));
                    }
                }
            }
        }
        return out;
    }

    /**
     * A normalised batch {@code [N, C, H, W]} for {@code spec}: each image's pixel values resized
     * in float as the spec's {@link Resize} says ({@link #resizedSize}, {@link #resizeAntialiased}),
     * centre-cropped to the input size ({@link #cropOffset}) and normalised.
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
            int[] scaled = resizedSize(image.width(), image.height(), spec);
            float[] p = planar(image, c);
            if (scaled[0] != image.width() || scaled[1] != image.height()) {
                p = resizeAntialiased(p, c, image.height(), image.width(), scaled[1], scaled[0], spec.resize().interpolation());
            }
            int[] offset = cropOffset(scaled, spec);
            int top = offset[1];
            int left = offset[0];
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

package org.loupe.analysis.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Random;

import javax.imageio.ImageIO;

import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What an input is compared with (integrated gradients' path start, what occlusion and RISE put
 * where they hide the image), written as a spec: {@code black} (pixel value 0), {@code zero}
 * (zeros in the model's normalised input, Captum's default), {@code blurred[:SIGMA]} (the image
 * under a Gaussian blur of SIGMA pixels, default a tenth of the width), {@code noise[:SEED]}
 * (uniform noise over the pixel range, seeded) or {@code image:PATH} (a given image, fitted to
 * the input as the model's images are).
 *
 * @param kind   black, zero, blurred, noise or image
 * @param amount the blur's sigma in pixels (0: a tenth of the width) or the noise's seed
 * @param image  the baseline image, for {@code image}; null otherwise
 *
 * @since 0.1
 */
public record Baseline(String kind, double amount, RasterImage image) {

    /** Pixel value 0 (black) everywhere. */
    public static final Baseline BLACK = new Baseline("black", 0, null);

    /** Reads a spec; throws saying what is wrong and what to write. */
    public static Baseline parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? "" : s.substring(colon + 1).trim();
        switch (kind) {
            case "black", "zero" -> {
                if (!arg.isEmpty()) {
                    throw wrong(spec, "'" + kind + "' takes no value");
                }
                return new Baseline(kind, 0, null);
            }
            case "blurred", "blur" -> {
                double sigma = arg.isEmpty() ? 0 : number(spec, arg);
                if (sigma < 0) {
                    throw wrong(spec, "the blur's sigma must be >= 0 pixels");
                }
                return new Baseline("blurred", sigma, null);
            }
            case "noise" -> {
                return new Baseline("noise", arg.isEmpty() ? 0 : (long) number(spec, arg), null);
            }
            case "image" -> {
                return new Baseline("image", 0, read(arg));
            }
            default -> throw wrong(spec, "unknown kind '" + kind + "'");
        }
    }

    private static RasterImage read(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("the baseline 'image:' needs a path, for example image:/data/gray.png");
        }
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("the baseline image " + path + " does not exist or is not a file");
        }
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IllegalArgumentException("the baseline image " + path + " could not be decoded: give a PNG, JPEG, BMP or GIF file");
            }
            return RasterImage.of(img);
        } catch (IOException e) {
            throw new IllegalArgumentException("the baseline image " + path + " could not be read: " + e.getMessage(), e);
        }
    }

    private static double number(String spec, String arg) {
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw wrong(spec, "'" + arg + "' is not a number");
        }
    }

    private static IllegalArgumentException wrong(String spec, String why) {
        return new IllegalArgumentException("cannot read the baseline '" + spec + "' (" + why
                + "); use black, zero, blurred, blurred:SIGMA, noise, noise:SEED or image:PATH");
    }

    /** The spec this baseline was read from. */
    public String spec() {
        return switch (kind) {
            case "blurred" -> amount == 0 ? "blurred" : "blurred:" + amount;
            case "noise" -> amount == 0 ? "noise" : "noise:" + (long) amount;
            case "image" -> "image";
            default -> kind;
        };
    }

    /** The baseline for each image of the normalised batch {@code input} ({@code [N, C, H, W]}), in its manager. */
    public NDArray of(NDArray input, InputSpec spec) {
        long[] s = input.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        Normalization norm = spec.normalization();
        float[] out = new float[n * c * h * w];
        switch (kind) {
            case "zero" -> {
                return input.zerosLike();
            }
            case "black" -> fill(out, n, c, h * w, ch -> norm.apply(ch, 0f));
            case "noise" -> {
                Random random = new Random((long) amount);
                for (int i = 0; i < n; i++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int k = 0; k < h * w; k++) {
                            out[(i * c + ch) * h * w + k] = norm.apply(ch, random.nextFloat());
                        }
                    }
                }
            }
            case "blurred" -> {
                double sigma = amount > 0 ? amount : w / 10.0;
                float[] x = input.toFloatArray();
                for (int plane = 0; plane < n * c; plane++) {
                    blur(x, plane * h * w, h, w, sigma, out);
                }
            }
            case "image" -> {
                try (NDArray one = ImageTensors.toInput(input.getManager(), Collections.nCopies(n, image), spec)) {
                    return one.duplicate();
                }
            }
            default -> throw new IllegalStateException(kind);
        }
        return Owned.floats(input.getManager(), out, new Shape(n, c, h, w));
    }

    private static void fill(float[] out, int n, int c, int plane, java.util.function.IntToDoubleFunction value) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                java.util.Arrays.fill(out, (i * c + ch) * plane, (i * c + ch + 1) * plane, (float) value.applyAsDouble(ch));
            }
        }
    }

    /** A separable Gaussian blur of one plane, edges clamped (normalisation is affine, so blurring it commutes). */
    private static void blur(float[] x, int offset, int h, int w, double sigma, float[] out) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            total += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        float[] tmp = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                double v = 0;
                for (int i = -r; i <= r; i++) {
                    v += k[i + r] * x[offset + y * w + Math.min(w - 1, Math.max(0, xx + i))];
                }
                tmp[y * w + xx] = (float) v;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                double v = 0;
                for (int i = -r; i <= r; i++) {
                    v += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + xx];
                }
                out[offset + y * w + xx] = (float) v;
            }
        }
    }
}

package org.loupe.analysis.featureviz;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Owned;

import ai.djl.ndarray.NDManager;

/**
 * The choices that make a feature visualisation, as the analyses' parameters name them: the
 * parameterisation, colour decorrelation, the transforms, the image size and the batch. Builds the
 * composable pieces ({@link ImageParam}, {@link Transform}).
 *
 * @param param       the parameterisation
 * @param decorrelate whether to decorrelate colour (Lucent's default)
 * @param transforms  the transforms applied each step
 * @param size        image side in pixels
 * @param batch       images optimised together
 * @param crops       MaCo's random crops per image and step
 *
 * @since 0.1
 */
public record Recipe(Parameterization param, boolean decorrelate, TransformSet transforms, int size, int batch, int crops) {

    /** How the image is parameterised. */
    public enum Parameterization {
        /** Lucent's FFT image: a scaled spectrum. */
        FFT,
        /** Lucent's pixel image. */
        PIXEL,
        /** MaCo: the Fourier phase only, the magnitude fixed. */
        MACO,
        /** One object's outline and colours ({@link SilhouetteImage}), for models of single objects. */
        SILHOUETTE
    }

    /** Which transforms run each step. */
    public enum TransformSet {
        /** Lucent's standard transforms for FFT and pixel images, random crops for MaCo, none for a silhouette. */
        AUTO,
        /** Lucent's standard transforms. */
        LUCENT,
        /** MaCo's random crops with noise. */
        CROPS,
        /** None. */
        NONE
    }

    /** The largest image side. */
    public static final int MAX_SIZE = 1024;

    /** Validates. */
    public Recipe {
        if (size < 8 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 8 and " + MAX_SIZE + " pixels, got " + size);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
    }

    /**
     * The image side a {@code size} parameter asks for: itself, or for 0 Lucent's 128 (the model's
     * input side if smaller).
     *
     * @throws IllegalArgumentException if it is neither 0 nor between 8 and {@link #MAX_SIZE}
     */
    public static int side(int size, InputSpec spec) {
        if (size == 0) {
            return Math.min(128, Math.max(spec.height(), spec.width()));
        }
        if (size < 8 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 0 (the model's input side, at most 128) or between 8 and " + MAX_SIZE + ", got " + size);
        }
        return size;
    }

    /** The transforms this recipe runs. */
    public Transform transform() {
        TransformSet t = transforms != TransformSet.AUTO ? transforms : switch (param) {
            case MACO -> TransformSet.CROPS;
            // a smooth outline needs no robustness from jitter; Lucent's grey padding would be a second object's edge
            case SILHOUETTE -> TransformSet.NONE;
            default -> TransformSet.LUCENT;
        };
        return switch (t) {
            case LUCENT -> Transforms.lucent();
            case CROPS -> Transforms.randomCrops(crops, 0.5, 0.05, 0.08);
            default -> Transform.none();
        };
    }

    /**
     * The parameterisation, in {@code manager}: from noise drawn from {@code random}, or from
     * {@code start} (one image per batch row, repeated if fewer: feature accentuation).
     *
     * @param magnitude MaCo's magnitude spectrum {@code [C, size, size/2+1]}, or null for 1/f
     */
    public ImageParam build(NDManager manager, int channels, Random random, List<RasterImage> start, float[] magnitude) {
        boolean colour = decorrelate && channels == 3;
        if (param == Parameterization.SILHOUETTE) {
            if (channels != 3) {
                throw new IllegalArgumentException("a silhouette is drawn in colour; the model takes " + channels + " channels: use param=fft or param=pixel");
            }
            if (start != null && !start.isEmpty()) {
                throw new IllegalArgumentException("a silhouette starts as a disc; start from an image with param=fft or param=pixel");
            }
            return SilhouetteImage.initial(manager, batch, size, random);
        }
        ImageParam spatial;
        if (start == null || start.isEmpty()) {
            spatial = switch (param) {
                case FFT -> FourierImage.noise(manager, batch, channels, size, size, random);
                case PIXEL -> PixelImage.noise(manager, batch, channels, size, size, random);
                case SILHOUETTE -> throw new IllegalStateException("built above");
                case MACO -> MacoImage.noise(manager, batch, magnitude == null ? MacoImage.naturalMagnitude(channels, size, size) : magnitude,
                        channels, size, size, random);
            };
        } else {
            if (param == Parameterization.MACO) {
                throw new IllegalArgumentException("MaCo starts from a random phase; start from an image with param=fft or param=pixel");
            }
            float[] raw = preSigmoid(start, channels, colour);
            spatial = param == Parameterization.FFT ? FourierImage.of(manager, raw, batch, channels, size, size)
                    : new PixelImage(Owned.floats(manager, raw, new ai.djl.ndarray.types.Shape(batch, channels, size, size)));
        }
        return new ValidRgb(spatial, colour);
    }

    /**
     * The values before colour and sigmoid whose image is {@code images} (fitted to the size):
     * {@code C^-1 logit(x)}, with pixel values kept inside (0.001, 0.999).
     */
    private float[] preSigmoid(List<RasterImage> images, int channels, boolean colour) {
        int plane = size * size;
        float[] out = new float[batch * channels * plane];
        double[][] inv = colour ? inverse3(ValidRgb.normalisedTransposed()) : null;
        for (int b = 0; b < batch; b++) {
            float[] px = ImageTensors.planar(ImageTensors.fit(images.get(b % images.size()), size, size), channels);
            for (int i = 0; i < plane; i++) {
                double[] logit = new double[channels];
                for (int c = 0; c < channels; c++) {
                    double v = Math.min(0.999, Math.max(0.001, px[c * plane + i]));
                    logit[c] = Math.log(v / (1 - v));
                }
                for (int c = 0; c < channels; c++) {
                    double v = logit[c];
                    if (inv != null) {
                        // pixels are multiplied by M = C^T / norm as row vectors: y = x M, so x = y M^-1
                        v = logit[0] * inv[0][c] + logit[1] * inv[1][c] + logit[2] * inv[2][c];
                    }
                    out[(b * channels + c) * plane + i] = (float) v;
                }
            }
        }
        return out;
    }

    private static double[][] inverse3(float[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], k = m[8];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        return new double[][] {{(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det},
                {(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det},
                {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
    }

    /** One line naming the recipe. */
    public String describe() {
        return String.format(Locale.ROOT, "%s image %dx%d x %d, %s, transforms %s", param.name().toLowerCase(Locale.ROOT), size, size, batch,
                param == Parameterization.SILHOUETTE ? "two colours" : decorrelate ? "decorrelated colour" : "plain colour",
                transforms.name().toLowerCase(Locale.ROOT));
    }
}

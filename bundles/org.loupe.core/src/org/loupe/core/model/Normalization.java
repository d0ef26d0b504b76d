package org.loupe.core.model;

import java.util.Arrays;

/**
 * How pixel values in {@code [0, 1]} become model input: {@code (x * scale - mean[c]) / std[c]} per
 * channel. Covers ImageNet mean/std ({@code scale = 1}) and Lucid's InceptionV1 ({@code x*255 - 117}:
 * {@code scale = 255}, {@code mean = 117}, {@code std = 1}).
 *
 * @param scale multiplier applied to pixels in [0, 1] first
 * @param mean  per-channel value subtracted after scaling
 * @param std   per-channel divisor
 *
 * @since 0.1
 */
public record Normalization(float scale, float[] mean, float[] std) {

    /** ImageNet statistics used by torchvision and timm. */
    public static final Normalization IMAGENET = new Normalization(1f,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /** Lucid's InceptionV1 ({@code inception5h}) preprocessing. */
    public static final Normalization LUCID_INCEPTION = new Normalization(255f,
            new float[] {117f, 117f, 117f}, new float[] {1f, 1f, 1f});

    /** Validates and copies the arrays. */
    public Normalization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " values but std has " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** No change: pixels in [0, 1] go in as they are. */
    public static Normalization identity(int channels) {
        float[] zeros = new float[channels];
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(1f, zeros, ones);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Maps one pixel value in [0, 1] of channel {@code c} to model input. */
    public float apply(int c, float x) {
        return (x * scale - mean[c]) / std[c];
    }

    /** Inverse of {@link #apply}: model input back to a pixel value. */
    public float invert(int c, float y) {
        return (y * std[c] + mean[c]) / scale;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && n.scale == scale && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return Float.hashCode(scale) * 31 * 31 + Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        if (scale == 1f) {
            return "(x - " + Arrays.toString(mean) + ") / " + Arrays.toString(std);
        }
        return "(x*" + scale + " - " + Arrays.toString(mean) + ") / " + Arrays.toString(std);
    }
}

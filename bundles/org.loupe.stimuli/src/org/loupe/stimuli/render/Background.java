package org.loupe.stimuli.render;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A background to draw figures on. Every random choice (gradient direction, noise, grating
 * frequency) comes from the generator passed to {@link #render}, so a background is reproducible
 * from the image's random stream.
 * <ul>
 * <li>plain: {@code color} everywhere</li>
 * <li>gradient: {@code mix(color, other, amount * t)} with {@code t} going from 0 to 1 across the
 * image in a uniformly random direction</li>
 * <li>noise: each channel of each pixel is {@code color}'s channel plus an independent uniform
 * integer in {@code [-a, a]}, {@code a = round(amount * 255)}</li>
 * <li>grating: {@code mix(color, other, amount * t)} with {@code t = (1 + sin(phase + 2 pi f d /
 * size)) / 2}, {@code f} uniform in 3..10 cycles per image, {@code d} the distance along a
 * uniformly random direction, a uniformly random phase</li>
 * </ul>
 * Gradients and gratings look {@code t} up in a table of 1024 levels. Every channel value is
 * finally clipped to {@code [lo, hi]}.
 *
 * @param kind   the kind
 * @param color  the main colour
 * @param other  the second colour of gradients and gratings
 * @param amount how far gradients and gratings go towards {@code other}, or the noise amplitude, in [0, 1]
 * @param lo     the smallest channel value (0..255)
 * @param hi     the largest channel value (0..255)
 *
 * @since 0.1
 */
public record Background(BackgroundKind kind, int color, int other, double amount, int lo, int hi) {

    /** Levels of the colour table gradients and gratings look up. */
    private static final int LEVELS = 1024;

    /** Validates the amount and channel limits. */
    public Background {
        if (!(amount >= 0 && amount <= 1)) {
            throw new IllegalArgumentException("background amount must be in [0, 1], got " + amount);
        }
        if (lo < 0 || hi > 255 || lo > hi) {
            throw new IllegalArgumentException("background channel limits must satisfy 0 <= lo <= hi <= 255, got " + lo + ".." + hi);
        }
    }

    /**
     * A background for a stimulus: {@code other} is black on light colours and white on dark
     * ones, nothing is clipped.
     */
    public static Background of(BackgroundKind kind, int color, double amount) {
        return new Background(kind, color, Colors.luminance(color) >= 0.5 ? 0x000000 : 0xFFFFFF, amount, 0, 255);
    }

    /** The pixels ({@code 0xRRGGBB}, row by row). */
    public int[] render(int width, int height, SplittableRandom random) {
        int[] px = new int[width * height];
        switch (kind) {
            case PLAIN -> Arrays.fill(px, clip(color));
            case GRADIENT -> {
                double a = random.nextDouble(2 * Math.PI);
                double ux = Math.cos(a);
                double uy = Math.sin(a);
                double half = (Math.abs(ux) * width + Math.abs(uy) * height) / 2;
                int[] lut = table();
                for (int y = 0; y < height; y++) {
                    double dy = (y + 0.5 - height / 2.0) * uy;
                    for (int x = 0; x < width; x++) {
                        double d = (x + 0.5 - width / 2.0) * ux + dy;
                        double t = half == 0 ? 0 : (d / half + 1) / 2;
                        px[y * width + x] = lut[index(t)];
                    }
                }
            }
            case NOISE -> {
                int span = 2 * (int) Math.round(amount * 255) + 1;
                int amp = span / 2;
                int r0 = Colors.channel(color, 16) - amp;
                int g0 = Colors.channel(color, 8) - amp;
                int b0 = Colors.channel(color, 0) - amp;
                for (int i = 0; i < px.length; i++) {
                    int bits = random.nextInt();
                    int r = r0 + ((((bits >>> 16) & 0xFF) * span) >> 8);
                    int g = g0 + ((((bits >>> 8) & 0xFF) * span) >> 8);
                    int b = b0 + (((bits & 0xFF) * span) >> 8);
                    px[i] = (limit(r) << 16) | (limit(g) << 8) | limit(b);
                }
            }
            case GRATING -> {
                double f = 3 + 7 * random.nextDouble();
                double a = random.nextDouble(2 * Math.PI);
                double phase = random.nextDouble(2 * Math.PI);
                double k = 2 * Math.PI * f / Math.max(width, height);
                // sin(phase + k x ux + k y uy), separated into per-column and per-row terms
                double[] sx = new double[width];
                double[] cx = new double[width];
                for (int x = 0; x < width; x++) {
                    double t = phase + k * (x + 0.5 - width / 2.0) * Math.cos(a);
                    sx[x] = Math.sin(t);
                    cx[x] = Math.cos(t);
                }
                int[] lut = table();
                for (int y = 0; y < height; y++) {
                    double t = k * (y + 0.5 - height / 2.0) * Math.sin(a);
                    double sy = Math.sin(t);
                    double cy = Math.cos(t);
                    for (int x = 0; x < width; x++) {
                        px[y * width + x] = lut[index((1 + sx[x] * cy + cx[x] * sy) / 2)];
                    }
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
        return px;
    }

    /** {@code mix(color, other, amount * j / (LEVELS - 1))}, clipped, for each level j. */
    private int[] table() {
        int[] lut = new int[LEVELS];
        for (int j = 0; j < LEVELS; j++) {
            lut[j] = clip(Colors.mix(color, other, amount * j / (LEVELS - 1)));
        }
        return lut;
    }

    private static int index(double t) {
        return (int) Math.round(Math.max(0, Math.min(1, t)) * (LEVELS - 1));
    }

    private int limit(int v) {
        return Math.max(lo, Math.min(hi, v));
    }

    private int clip(int rgb) {
        return (limit(Colors.channel(rgb, 16)) << 16) | (limit(Colors.channel(rgb, 8)) << 8) | limit(Colors.channel(rgb, 0));
    }
}

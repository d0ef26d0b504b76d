package org.loupe.core.model;

/**
 * How an image of another size than the model's input is brought to it before normalisation.
 * Resampling is PIL's antialiased bilinear or bicubic filter (as torchvision's
 * {@code Resize(antialias=True)} on PIL images); the crop is torchvision's {@code CenterCrop}.
 *
 * @param mode          the kind of resize
 * @param shorterSide   for {@link Mode#SHORTER_SIDE}: the length the shorter side is resized to
 *                      (the longer side keeps the aspect ratio, rounded down as torchvision does)
 * @param interpolation the resampling filter
 *
 * @since 0.1
 */
public record Resize(Mode mode, int shorterSide, Interpolation interpolation) {

    /** The resampling filters, as PIL defines them (antialiased when shrinking). */
    public enum Interpolation {
        /** PIL's {@code BILINEAR}: a triangle filter of support 1. */
        BILINEAR,
        /** PIL's {@code BICUBIC}: Keys' cubic with a = -0.5, support 2; values clipped to the pixel range after each pass. */
        BICUBIC
    }

    /** A bilinear resize. */
    public Resize(Mode mode, int shorterSide) {
        this(mode, shorterSide, Interpolation.BILINEAR);
    }

    /** The kinds of resize. */
    public enum Mode {
        /** Shorter side scaled so the image covers the input window, then a centre crop to the input size. */
        FIT,
        /** Shorter side to a fixed length ({@code Resize(n)}), then a centre crop to the input size ({@code CenterCrop}). */
        SHORTER_SIDE,
        /** Straight to the input size, aspect ratio not kept, no crop (Hugging Face's ViTImageProcessor). */
        STRETCH
    }

    /** The shorter side scaled to cover the input, then a centre crop: Loupe's default. */
    public static final Resize FIT = new Resize(Mode.FIT, 0);

    /** Straight to the input size. */
    public static final Resize STRETCH = new Resize(Mode.STRETCH, 0);

    /** Validates the fields. */
    public Resize {
        if (mode == null || interpolation == null) {
            throw new IllegalArgumentException("a resize needs a mode and an interpolation");
        }
        if ((mode == Mode.SHORTER_SIDE) != (shorterSide > 0)) {
            throw new IllegalArgumentException("a shorter-side resize needs a positive length (and only it), got " + shorterSide);
        }
    }

    /** The shorter side to {@code n} pixels, then a centre crop. */
    public static Resize shorterSide(int n) {
        return new Resize(Mode.SHORTER_SIDE, n);
    }

    /** The same resize with another filter. */
    public Resize with(Interpolation i) {
        return new Resize(mode, shorterSide, i);
    }

    /** A description such as {@code shorter side to 256, centre crop 224x224} (and {@code , bicubic}). */
    public String describe(int height, int width) {
        String geometry = switch (mode) {
            case FIT -> "shorter side to fit " + height + "x" + width + ", centre crop";
            case SHORTER_SIDE -> "shorter side to " + shorterSide + ", centre crop " + height + "x" + width;
            case STRETCH -> "resize to " + height + "x" + width + " (aspect not kept)";
        };
        return interpolation == Interpolation.BILINEAR ? geometry : geometry + ", " + interpolation.name().toLowerCase(java.util.Locale.ROOT);
    }
}

package org.loupe.core.model;

/**
 * How an image of another size than the model's input is brought to it before normalisation.
 * Resampling is antialiased bilinear (as PIL's and torchvision's {@code Resize(antialias=True)});
 * the crop is torchvision's {@code CenterCrop}.
 *
 * @param mode        the kind of resize
 * @param shorterSide for {@link Mode#SHORTER_SIDE}: the length the shorter side is resized to
 *                    (the longer side keeps the aspect ratio, rounded down as torchvision does)
 */
public record Resize(Mode mode, int shorterSide) {

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
        if (mode == null) {
            throw new IllegalArgumentException("a resize needs a mode");
        }
        if ((mode == Mode.SHORTER_SIDE) != (shorterSide > 0)) {
            throw new IllegalArgumentException("a shorter-side resize needs a positive length (and only it), got " + shorterSide);
        }
    }

    /** The shorter side to {@code n} pixels, then a centre crop. */
    public static Resize shorterSide(int n) {
        return new Resize(Mode.SHORTER_SIDE, n);
    }

    /** A description such as {@code shorter side to 256, centre crop 224x224}. */
    public String describe(int height, int width) {
        return switch (mode) {
            case FIT -> "shorter side to fit " + height + "x" + width + ", centre crop";
            case SHORTER_SIDE -> "shorter side to " + shorterSide + ", centre crop " + height + "x" + width;
            case STRETCH -> "resize to " + height + "x" + width + " (aspect not kept)";
        };
    }
}

package org.loupe.core.model;

/**
 * The input a model expects: image size, how other sizes are resized and cropped to it, and the
 * normalisation applied to pixels in [0, 1].
 *
 * @param channels      number of colour channels (3 for RGB, 1 for grayscale)
 * @param height        input height in pixels
 * @param width         input width in pixels
 * @param normalization how pixels in [0, 1] become model input
 * @param resize        how images of other sizes are brought to {@code height x width}
 *
 * @since 0.1
 */
public record InputSpec(int channels, int height, int width, Normalization normalization, Resize resize) {

    /** An input whose images are resized to cover it and centre-cropped ({@link Resize#FIT}). */
    public InputSpec(int channels, int height, int width, Normalization normalization) {
        this(channels, height, width, normalization, Resize.FIT);
    }

    /** Validates the fields. */
    public InputSpec {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + height + "x" + width);
        }
        if (normalization.mean().length != channels) {
            throw new IllegalArgumentException("normalization has " + normalization.mean().length
                    + " channels but the input has " + channels);
        }
        resize = resize == null ? Resize.FIT : resize;
        if (resize.mode() == Resize.Mode.SHORTER_SIDE && resize.shorterSide() < Math.max(height, width)) {
            throw new IllegalArgumentException("the shorter side is resized to " + resize.shorterSide() + ", smaller than the "
                    + height + "x" + width + " crop; resize to at least " + Math.max(height, width));
        }
    }

    /** The same input with another resize. */
    public InputSpec withResize(Resize r) {
        return new InputSpec(channels, height, width, normalization, r);
    }

    /** A short description such as {@code 3x224x224, (x - [..]) / [..]}. */
    public String describe() {
        return channels + "x" + height + "x" + width + ", " + normalization;
    }
}

package org.loupe.core.model;

/**
 * The input a model expects: image size and the normalisation applied to pixels in [0, 1].
 *
 * @param channels      number of colour channels (3 for RGB, 1 for grayscale)
 * @param height        input height in pixels
 * @param width         input width in pixels
 * @param normalization how pixels in [0, 1] become model input
 */
public record InputSpec(int channels, int height, int width, Normalization normalization) {

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
    }

    /** A short description such as {@code 3x224x224, (x - [..]) / [..]}. */
    public String describe() {
        return channels + "x" + height + "x" + width + ", " + normalization;
    }
}

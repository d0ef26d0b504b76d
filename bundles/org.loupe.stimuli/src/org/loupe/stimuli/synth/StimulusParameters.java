package org.loupe.stimuli.synth;

/**
 * What every stimulus parameter record has besides its own parameters: how many images, their
 * size, and which parameters are drawn at random for each image (see {@link Variation}).
 *
 * @since 0.1
 */
public interface StimulusParameters {

    /** The number of images. */
    int count();

    /** Width and height in pixels. */
    int size();

    /** The parameters drawn at random for each image, {@code name[:lo..hi]} joined by {@code +}; empty for none. */
    String vary();
}

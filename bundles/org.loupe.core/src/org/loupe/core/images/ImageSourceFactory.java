package org.loupe.core.images;

/**
 * Opens an {@link ImageSource} from parameters. Contributed through the extension point
 * {@code org.loupe.core.imageSources}. {@code P} is a record of parameters with defaults (see
 * {@link org.loupe.core.analysis.Param}), bound from {@code key=value} text by the same rules as
 * analysis parameters.
 *
 * @param <P> the parameter record
 */
public interface ImageSourceFactory<P extends Record> {

    /** The parameter record's class. */
    Class<P> parametersType();

    /** The default parameters. */
    P defaults();

    /**
     * Opens the source.
     *
     * @param seed the seed for anything random, so the same parameters and seed give the same images
     * @throws IllegalArgumentException if the parameters cannot work (a missing folder, ...)
     */
    ImageSource open(P parameters, long seed);
}

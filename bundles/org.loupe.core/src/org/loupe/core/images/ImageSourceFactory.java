package org.loupe.core.images;

import java.util.Map;

import org.loupe.core.analysis.ParameterBinder;

/**
 * Opens an {@link ImageSource} from parameters. Contributed through the extension point
 * {@code org.loupe.core.imageSources}. {@code P} is a record of parameters with defaults (see
 * {@link org.loupe.core.analysis.Param}), bound from {@code key=value} text by the same rules as
 * analysis parameters.
 *
 * @param <P> the parameter record
 *
 * @since 0.1
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

    /**
     * Opens the source from parameters given as text: the {@code key=value} pairs after the source
     * id in an image spec, or a form's fields. The default binds them to {@link #parametersType()}
     * with {@link ParameterBinder#bind} (unknown keys and out-of-range values are errors naming the
     * parameter) and calls {@link #open(Record, long)}. A factory that accepts more keys than its
     * record has overrides this: a stimulus sweep passes the keys it does not know on to the
     * stimulus it sweeps.
     *
     * @throws IllegalArgumentException naming the parameter, the value and what is allowed
     */
    default ImageSource openFromText(Map<String, String> parameters, long seed) {
        return open(ParameterBinder.bind(parametersType(), defaults(), parameters), seed);
    }
}

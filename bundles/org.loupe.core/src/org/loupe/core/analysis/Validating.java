package org.loupe.core.analysis;

/**
 * A parameter record that checks combinations of its values beyond the per-field ranges of
 * {@link Param}.
 *
 * @since 0.1
 */
public interface Validating {

    /**
     * Checks the parameters.
     *
     * @throws IllegalArgumentException with a message naming the parameter and the allowed values
     */
    void validate();
}

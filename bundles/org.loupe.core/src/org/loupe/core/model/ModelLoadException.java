package org.loupe.core.model;

/**
 * Thrown when a model cannot be opened. The message names the file, and where it applies the tensor
 * and what was expected, and says what to do; nothing is half-loaded.
 *
 * @since 0.1
 */
public class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-readable message. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** Creates the exception with a user-readable message and its cause. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

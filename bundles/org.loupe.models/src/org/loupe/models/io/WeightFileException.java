package org.loupe.models.io;

import java.io.IOException;

/**
 * A weight file that cannot be read; the message names the file and what is wrong with it.
 *
 * @since 0.1
 */
public class WeightFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-readable message. */
    public WeightFileException(String message) {
        super(message);
    }

    /** Creates the exception with a user-readable message and its cause. */
    public WeightFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.loupe.djl;

/**
 * Thrown when the PyTorch engine cannot be started; the message says why and what to check.
 *
 * @since 0.1
 */
public class EngineStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-readable message and its cause. */
    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

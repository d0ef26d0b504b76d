package org.loupe.core.analysis;

/**
 * Thrown when an analysis cannot run or fails; the message says what was wrong and what to do
 * (select a hook point, choose fewer images, ...).
 *
 * @since 0.1
 */
public class AnalysisException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-readable message. */
    public AnalysisException(String message) {
        super(message);
    }

    /** Creates the exception with a user-readable message and its cause. */
    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.loupe.core.run;

import org.loupe.core.analysis.AnalysisException;

/**
 * A run that was cancelled and whose plug-in did not stop within the grace period: Loupe stopped
 * waiting for it and nothing was saved. Its thread was interrupted and left to end on its own (the
 * JVM cannot kill a thread safely); the message says so and names the plug-in.
 *
 * @since 0.1
 */
public final class RunAbandonedException extends AnalysisException {

    private static final long serialVersionUID = 1L;

    /** The exception with its user-readable message. */
    public RunAbandonedException(String message) {
        super(message);
    }
}

package org.loupe.analysis.attribution;

/**
 * Where a long attribution stands, reported between its passes; an implementation may throw
 * (for example {@code OperationCanceledException}) to cancel the computation.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (done, total) -> {
    };

    /** {@code done} of {@code total} passes are finished. */
    void passes(int done, int total);
}

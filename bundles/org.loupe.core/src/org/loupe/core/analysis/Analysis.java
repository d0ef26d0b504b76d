package org.loupe.core.analysis;

import org.loupe.core.result.Result;

/**
 * An analysis: from a model, a selection and parameters to an immutable {@link Result}. Contributed
 * through the extension point {@code org.loupe.core.analyses}; the same object runs in a workbench
 * job and from the command line. Implementations keep no state between runs.
 *
 * @param <P> the parameter record: components with {@link Param} descriptions and ranges, optionally
 *            {@link Validating}
 */
public interface Analysis<P extends Record> {

    /** The parameter record's class. */
    Class<P> parametersType();

    /** The default parameters. */
    P defaults();

    /**
     * Runs the analysis. Report progress through {@link AnalysisContext#monitor()} and call
     * {@link AnalysisContext#checkCanceled()} in loops; allocate arrays in
     * {@link AnalysisContext#manager()} or a sub-manager.
     *
     * @throws AnalysisException with a message that says what was wrong and what to do
     */
    Result run(AnalysisContext context, P parameters) throws AnalysisException;
}

package org.loupe.core.analysis;

import java.util.Optional;
import java.util.Set;

import ai.djl.ndarray.NDManager;

import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.Result;

/**
 * An analysis: from a model, a selection and parameters to an immutable {@link Result}. Contributed
 * through the extension point {@code org.loupe.core.analyses}; the same object runs in a workbench
 * job and from the command line. Implementations keep no state between runs.
 *
 * @param <P> the parameter record: components with {@link Param} descriptions and ranges, optionally
 *            {@link Validating}
 *
 * @since 0.1
 */
public interface Analysis<P extends Record> {

    /** The parameter record's class. */
    Class<P> parametersType();

    /** The default parameters. */
    P defaults();

    /**
     * What the analysis needs, in addition to the {@code requires} of its extension declaration
     * (the two are combined). Default: nothing beyond the declaration.
     */
    default Set<Requirement> requirements() {
        return Set.of();
    }

    /**
     * A check on the loaded model beyond the declared {@link Requirement}s: why this analysis does
     * not apply to {@code model}, or empty if it does. The reason is shown next to the greyed-out
     * analysis in the Analyses view and printed by the command line, so write it for the user
     * ("needs a model with at least 2 attention heads, and demo-vit has 1"). Called only after
     * the declared requirements are met. Default: it applies.
     */
    default Optional<String> unavailableReason(HookedModel model) {
        return Optional.empty();
    }

    /**
     * Whether and which images the analysis reads. An analysis that reads images declares it here
     * and opens them with {@link AnalysisContext#images()}; it has no parameter of its own for
     * them. Default: it reads no images.
     */
    default Optional<ImageInput> imageInput() {
        return Optional.empty();
    }

    /**
     * Checks the parameters against the opened model and hook point before anything runs: a unit,
     * site, class, head or token the model does not have. A problem found here is a wrong argument:
     * the command line exits with 2 and stores nothing, the workbench shows the message and runs
     * nothing. The runner has already checked the hook point's kind and the unit's range. Default:
     * nothing more to check.
     *
     * @param model      the model the analysis will run on
     * @param point      the selected hook point, or null for an analysis of the whole model
     * @param parameters the bound parameters (ranges and {@link Validating} already checked)
     * @param scratch    a manager for probe arrays, closed after the check
     * @throws IllegalArgumentException naming the parameter and what the model allows
     */
    default void check(HookedModel model, HookPoint point, P parameters, NDManager scratch) {
    }

    /**
     * Runs the analysis. Report progress through {@link AnalysisContext#monitor()} and call
     * {@link AnalysisContext#checkCanceled()} in loops; allocate arrays in
     * {@link AnalysisContext#manager()} or a sub-manager.
     *
     * @throws AnalysisException with a message that says what was wrong and what to do
     */
    Result run(AnalysisContext context, P parameters) throws AnalysisException;
}

package org.loupe.core.analysis;

import org.eclipse.core.runtime.IProgressMonitor;
import org.loupe.core.images.ImageSource;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDManager;

/**
 * Everything an analysis run gets besides its parameters: the model, the selection, a seed, an
 * NDManager that is closed when the run ends, progress reporting and cancellation, and access to
 * image sources.
 *
 * @since 0.1
 */
public interface AnalysisContext {

    /** The model to analyse. */
    HookedModel model();

    /** What the analyst selected. */
    Selection selection();

    /**
     * The selected hook point.
     *
     * @throws AnalysisException if none is selected or the model has no hook point of that name
     */
    HookPoint hookPoint() throws AnalysisException;

    /**
     * The selected unit, checked against the selected hook point's number of units.
     *
     * @throws AnalysisException if none is selected or it is out of range
     */
    int unit() throws AnalysisException;

    /**
     * Opens the run's images: the request's images if it gives any, else the default of the
     * analysis' {@link Analysis#imageInput() image input}. A spec is an image file, a folder, or an
     * image-source id with parameters ({@code noise:count=16,size=32}). The run's provenance records
     * the spec, the source's description and how many images were read. The source is closed when
     * the run ends.
     *
     * @throws AnalysisException if the spec names nothing that exists, or the analysis declares no
     *                           image input
     */
    ImageSource images() throws AnalysisException;

    /** The seed of this run; the same seed and parameters give the same result. */
    long seed();

    /** A manager for the run's arrays, closed when the run ends. */
    NDManager manager();

    /** The progress monitor of the run (an Eclipse job's, or the command line's). */
    IProgressMonitor monitor();

    /**
     * Publishes a partial result: a snapshot of what the run has so far (the current image of an
     * optimisation, the sweep so far) that the workbench shows live as a preview. Partial results
     * are not stored; only what {@link Analysis#run} returns is. Cheap when nobody listens; publish
     * at most a few times a second.
     */
    default void publish(org.loupe.core.result.Result partial) {
    }

    /**
     * Throws {@link org.eclipse.core.runtime.OperationCanceledException} if the run was cancelled;
     * long loops call it once per step.
     */
    default void checkCanceled() {
        if (monitor().isCanceled()) {
            throw new org.eclipse.core.runtime.OperationCanceledException();
        }
    }
}

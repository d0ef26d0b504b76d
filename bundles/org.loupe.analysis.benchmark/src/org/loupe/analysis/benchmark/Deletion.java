package org.loupe.analysis.benchmark;

import org.loupe.analysis.quality.CausalFidelity;

/**
 * Deletion AUC of one method: pixels flipped from the image to the baseline, most relevant first; lower is better.
 *
 * @since 0.1
 */
public class Deletion extends CausalAnalysis {

    @Override
    protected CausalFidelity.Mode mode() {
        return CausalFidelity.Mode.DELETION;
    }
}

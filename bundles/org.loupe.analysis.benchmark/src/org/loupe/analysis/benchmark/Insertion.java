package org.loupe.analysis.benchmark;

import org.loupe.analysis.quality.CausalFidelity;

/**
 * Insertion AUC of one method: pixels put back from the baseline into the image, most relevant first; higher is better.
 *
 * @since 0.1
 */
public class Insertion extends CausalAnalysis {

    @Override
    protected CausalFidelity.Mode mode() {
        return CausalFidelity.Mode.INSERTION;
    }
}

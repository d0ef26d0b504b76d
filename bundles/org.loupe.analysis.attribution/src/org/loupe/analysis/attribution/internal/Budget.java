package org.loupe.analysis.attribution.internal;

import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;

/**
 * How many input rows one forward (and backward) pass may hold under a memory budget: the input
 * and every hook point's activation, once more for the gradients. For black-box models, whose
 * activations are not known, a row is taken to cost 64 inputs.
 */
public final class Budget {

    private Budget() {
    }

    /** Rows per pass for {@code model} within {@code memoryMb}; at least 1, at most 4096. */
    public static int rows(HookedModel model, int memoryMb, boolean backward) {
        InputSpec spec = model.inputSpec();
        long input = (long) spec.channels() * spec.height() * spec.width();
        long activations = 0;
        for (HookPoint p : model.hookPoints()) {
            activations += p.shape().size();
        }
        long floats = input + (model.hookable() ? activations : 64 * input);
        long bytes = 4 * floats * (backward ? 2 : 1);
        long rows = ((long) memoryMb << 20) / Math.max(1, bytes);
        return (int) Math.max(1, Math.min(4096, rows));
    }
}

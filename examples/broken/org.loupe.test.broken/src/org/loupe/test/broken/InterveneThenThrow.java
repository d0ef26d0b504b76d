package org.loupe.test.broken;

import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.result.Result;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An analysis that misbehaves half-way: it zero-ablates unit 1 of the selected hook point in a
 * forward pass, leaves that pass' arrays and a sub-manager open, and throws.
 */
public class InterveneThenThrow extends Parameterless {

    @Override
    public Result run(AnalysisContext context, NoParameters parameters) throws AnalysisException {
        NDManager leaked = context.manager().newSubManager();
        var in = context.model().inputSpec();
        NDArray x = leaked.ones(new Shape(1, in.channels(), in.height(), in.width()));
        ModelOutput out = context.model().forward(x, Hooks.builder().cache(context.hookPoint().name())
                .intervene(context.hookPoint().name(), Interventions.zero(1)).build());
        throw new IllegalStateException("the fixture failed after its ablated pass (output sum " + out.output().sum().getFloat() + ")");
    }
}

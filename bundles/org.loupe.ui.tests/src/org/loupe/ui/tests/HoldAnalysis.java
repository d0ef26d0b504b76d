package org.loupe.ui.tests;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Param;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Test analysis: forward passes on the model, one after another, until cancelled (or {@code steps} are done). */
public class HoldAnalysis implements Analysis<HoldAnalysis.Params> {

    /** Parameters. */
    public record Params(@Param(value = "forward passes at most", min = 1) int steps) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(1_000_000);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) {
        InputSpec s = ctx.model().inputSpec();
        for (int i = 0; i < p.steps(); i++) {
            ctx.checkCanceled();
            try (NDManager m = ctx.manager().newSubManager()) {
                ctx.model().forward(m.zeros(new Shape(1, s.channels(), s.height(), s.width())), Hooks.none());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.eclipse.core.runtime.OperationCanceledException();
            }
        }
        return new TextResult("Held", p.steps() + " forward passes");
    }
}

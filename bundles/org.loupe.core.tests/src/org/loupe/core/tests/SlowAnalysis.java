package org.loupe.core.tests;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Param;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** Test analysis: counts with a pause per step, checking for cancellation and publishing the count so far as a partial result. */
public class SlowAnalysis implements Analysis<SlowAnalysis.Params> {

    /** Parameters. */
    public record Params(@Param(value = "steps", min = 1) int steps) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(500);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) {
        ctx.monitor().beginTask("Counting", p.steps());
        for (int i = 0; i < p.steps(); i++) {
            ctx.checkCanceled();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.eclipse.core.runtime.OperationCanceledException();
            }
            ctx.monitor().worked(1);
            ctx.publish(new TextResult("Step " + (i + 1), (i + 1) + " of " + p.steps()));
        }
        return new TextResult("Counted", Integer.toString(p.steps()));
    }
}

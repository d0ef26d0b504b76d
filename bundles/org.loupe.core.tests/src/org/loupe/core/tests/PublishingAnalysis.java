package org.loupe.core.tests;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Param;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** Test analysis: publishes one partial result per step, then returns the last count. */
public class PublishingAnalysis implements Analysis<PublishingAnalysis.Params> {

    /** Parameters. */
    public record Params(@Param(value = "steps", min = 1) int steps) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(3);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) {
        for (int i = 1; i <= p.steps(); i++) {
            ctx.publish(new TextResult("Step " + i, i + " of " + p.steps()));
        }
        return new TextResult("Done", Integer.toString(p.steps()));
    }
}

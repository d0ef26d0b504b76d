package org.loupe.ui.tests;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Param;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** Test analysis: returns its parameter and the selected hook point as text. */
public class EchoAnalysis implements Analysis<EchoAnalysis.Params> {

    /** Parameters. */
    public record Params(@Param("text to echo") String text) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("hello");
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) {
        return new TextResult("Echo", p.text() + " @ " + ctx.selection().hookPoint());
    }
}

package org.loupe.test.broken;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** An analysis whose class cannot be created: its constructor throws. */
public class ThrowsInConstructor implements Analysis<NoParameters> {

    /** Always throws. */
    public ThrowsInConstructor() {
        throw new IllegalStateException("the fixture's constructor always fails");
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public NoParameters defaults() {
        return new NoParameters();
    }

    @Override
    public Result run(AnalysisContext context, NoParameters parameters) {
        return new TextResult("never", "never runs");
    }
}

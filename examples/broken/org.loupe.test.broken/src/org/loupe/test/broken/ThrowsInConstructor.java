package org.loupe.test.broken;

import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** An analysis whose class cannot be created: its constructor throws. */
public class ThrowsInConstructor extends Parameterless {

    /** Always throws. */
    public ThrowsInConstructor() {
        throw new IllegalStateException("the fixture's constructor always fails");
    }

    @Override
    public Result run(AnalysisContext context, NoParameters parameters) {
        return new TextResult("never", "never runs");
    }
}

package org.loupe.test.broken;

import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.result.Result;

/** An analysis whose result its own plug-in's codec cannot store. */
public class Unstorable extends Parameterless {

    /** The result: its codec ({@link UnstorableCodec}) throws when the run store writes it. */
    public record Value(String title) implements Result {
    }

    @Override
    public Result run(AnalysisContext context, NoParameters parameters) {
        return new Value("Unstorable");
    }
}

package org.loupe.test.broken;

import java.util.List;

import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/**
 * An analysis whose result its views cannot draw: one part's view throws when it draws, another
 * part's view cannot be created (both views are in the fixture org.loupe.test.broken.ui). A third
 * part has Loupe's own view, which must still show.
 */
public class Undrawable extends Parameterless {

    /** A part of the result; stored by {@link UndrawableCodec}. */
    public sealed interface Part extends Result permits Crashes, Uncreatable {
    }

    /** Drawn by a view that throws in {@code render}. */
    public record Crashes(String title) implements Part {
    }

    /** Drawn by a view whose constructor throws. */
    public record Uncreatable(String title) implements Part {
    }

    @Override
    public Result run(AnalysisContext context, NoParameters parameters) {
        return new CompositeResult("Undrawable", List.of(new Crashes("Drawn by a view that throws"),
                new Uncreatable("Drawn by a view that cannot be created"),
                new TextResult("Still shown", "Loupe's own view of this part works.")));
    }
}

package org.loupe.test.broken;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Param;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** An analysis whose run throws: a runtime exception, a missing class, out of memory or a stack overflow. */
public class ThrowsInRun implements Analysis<ThrowsInRun.Params> {

    /** What {@link ThrowsInRun} throws. */
    public enum Kind {
        /** An unchecked exception with a message. */
        RUNTIME,
        /** A class its code needs is not there. */
        LINKAGE,
        /** A real out-of-memory error (an array larger than the VM allows; nothing is allocated). */
        MEMORY,
        /** A real stack overflow. */
        STACK
    }

    /**
     * Parameters.
     *
     * @param kind what to throw
     */
    public record Params(@Param("what to throw") Kind kind) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(Kind.RUNTIME);
    }

    @Override
    public Result run(AnalysisContext context, Params parameters) {
        return switch (parameters.kind()) {
        case LINKAGE -> throw new NoClassDefFoundError("org/loupe/test/broken/Gone");
        case MEMORY -> new TextResult("never", "" + new long[Integer.MAX_VALUE].length);
        case STACK -> new TextResult("never", "" + recurse(0));
        case RUNTIME -> throw new IllegalStateException("the fixture's run always fails");
        };
    }

    private static long recurse(long depth) {
        return recurse(depth + 1) + 1;
    }
}

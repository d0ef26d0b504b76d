package org.loupe.core.tests;

import java.util.Optional;
import java.util.Set;

import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.Requirement;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/** Test analysis that declares its requirement in Java and checks the model itself: at least 4 classes. */
public class CheckedAnalysis implements Analysis<CheckedAnalysis.Params> {

    /** No parameters. */
    public record Params() {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params();
    }

    @Override
    public Set<Requirement> requirements() {
        return Set.of(Requirement.LABELS);
    }

    @Override
    public Optional<String> unavailableReason(HookedModel model) {
        int n = model.labels().size();
        return n >= 4 ? Optional.empty() : Optional.of("needs at least 4 classes, and it has " + n);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) {
        return new TextResult("Classes", Integer.toString(ctx.model().labels().size()));
    }
}

package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

/**
 * An explanation-quality metric as an analysis: one method, named by the parameter
 * {@code method} (one of {@link BenchmarkExplainers#benchmarkExplainers}), scored over the run's
 * images next to the random-map and centre-bias baselines; a summary, the table of means, a bar
 * chart per value and the mean curves.
 *
 * @param <P> the parameter record
 *
 * @since 0.1
 */
public abstract class MetricAnalysis<P extends Record & MetricParams> implements Analysis<P> {

    /**
     * The metric with the parameters' settings.
     *
     * @throws IllegalArgumentException if the settings are out of range (the message says which)
     */
    protected abstract ImageMetric metric(P parameters);

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=32", "images to score the maps on (with object masks for the localisation metrics)"));
    }

    @Override
    public Result run(AnalysisContext ctx, P p) throws AnalysisException {
        Explainer explainer = BenchmarkExplainers.find(ctx.model(), p.method());
        ImageMetric metric;
        try {
            metric = metric(p);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        Leaderboard board = Leaderboard.score(ctx, List.of(explainer), List.of(metric), Integer.MAX_VALUE, p.batchSize(), 0);
        String summary = String.format(Locale.ROOT, "%s of %s on %s, %d images%s, each for its predicted class; against a random map and a "
                + "centre-bias map. %s", metric.name(), explainer.name(), ctx.model().info().name(), board.images,
                board.withoutMask == 0 ? "" : " (" + board.withoutMask + " without an object mask skipped)", board.verdicts());
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", summary));
        parts.add(board.table(metric.name() + " of " + explainer.name(), List.of(), null));
        parts.addAll(board.charts());
        return new CompositeResult(metric.name() + " of " + explainer.name() + " on " + ctx.model().info().name(), parts);
    }
}

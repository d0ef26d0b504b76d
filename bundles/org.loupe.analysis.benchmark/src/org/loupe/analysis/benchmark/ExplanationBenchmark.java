package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.quality.CausalFidelity;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.ImageArray;
import org.loupe.analysis.quality.MuFidelity;
import org.loupe.analysis.quality.RandomisationCheck;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The explanation benchmark: every method of {@link BenchmarkExplainers#benchmarkExplainers} and
 * the random and centre-bias baselines, scored with every metric (pointing game, relevance mass,
 * deletion and insertion AUC, MuFidelity, ROAD most- and least-relevant first, and the model
 * randomisation check with every layer random) over held-out Loupe Shapes images with their
 * object masks: a leaderboard table (exported as CSV, the run as JSON) and a bar chart per metric.
 * The defaults are lighter than the metric analyses' (fewer MuFidelity samples and ROAD
 * percentages) so the benchmark of a demo model takes a few minutes on two cores.
 *
 * @since 0.1
 */
public class ExplanationBenchmark implements Analysis<ExplanationBenchmark.Params> {

    /**
     * Parameters.
     *
     * @param count          images scored (the first of the run's images that have masks)
     * @param batchSize      images per pass of a method
     * @param steps          deletion and insertion steps
     * @param samples        MuFidelity subsets per image
     * @param grid           MuFidelity grid cells per side
     * @param roadStep       spacing of ROAD's percentages
     * @param noise          ROAD's imputation noise
     * @param checkImages    images of the randomisation check
     * @param threshold      the randomisation check's similarity threshold
     */
    public record Params(@Param("the methods to score: all, or names joined with + (saliency+integrated-gradients+gradient-rollout)") String methods,
            @Param(value = "images to score", min = 1, max = 100000) int count,
            @Param(value = "images per pass of a method", min = 1, max = 1024) int batchSize,
            @Param(value = "deletion and insertion steps", min = 1, max = 100000) int steps,
            @Param(value = "MuFidelity: random subsets per image", min = 2, max = 100000) int samples,
            @Param(value = "MuFidelity: grid cells per side", min = 1, max = 1024) int grid,
            @Param(value = "ROAD: spacing of the percentages of pixels removed (2: Quantus' 1, 3, ..., 99)", min = 1, max = 99) int roadStep,
            @Param(value = "ROAD: standard deviation of the imputation noise", min = 0) double noise,
            @Param(value = "randomisation check: images explained with the random model", min = 1, max = 1024) int checkImages,
            @Param(value = "randomisation check: similarity below which a method passes", min = -1, max = 1) double threshold) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("all", 16, 16, 10, 50, 9, 10, 0.01, 8, 0.5);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=200", "held-out images with object masks (ground truth 'mask')"));
    }

    /** The metrics with {@code p}'s settings, in leaderboard order. */
    static List<ImageMetric> metrics(Params p) {
        return List.of(Metrics.pointingGame(), Metrics.relevanceMass(),
                Metrics.causal(new CausalFidelity.Settings(CausalFidelity.Mode.DELETION, p.steps(), 1, 0)),
                Metrics.causal(new CausalFidelity.Settings(CausalFidelity.Mode.INSERTION, p.steps(), 1, 0)),
                Metrics.muFidelity(new MuFidelity.Settings(p.grid(), 0.2, p.samples(), 0)), Metrics.road(Metrics.percentages(p.roadStep()), p.noise()));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        List<Explainer> explainers = BenchmarkExplainers.select(model, p.methods());
        List<ImageMetric> metrics;
        try {
            metrics = metrics(p);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        Leaderboard board = Leaderboard.score(ctx, explainers, metrics, p.count(), p.batchSize(), p.checkImages());
        List<Explainer> all = new ArrayList<>(explainers);
        all.add(BaselineExplainer.random(ctx.seed()));
        all.add(BaselineExplainer.centre());
        List<List<Object>> extra = new ArrayList<>();
        double[] similarity = new double[all.size()];
        String randomisation;
        try (NDManager m = ctx.manager().newSubManager()) {
            NDArray input = ImageArray.toBatch(m, board.kept);
            int[] classes = board.keptClasses.stream().mapToInt(Integer::intValue).toArray();
            List<String> failed = new ArrayList<>();
            for (int r = 0; r < all.size(); r++) {
                ctx.checkCanceled();
                RandomisationCheck.Outcome o = RandomisationCheck.run(model, all.get(r), input, classes, false, p.threshold(), ctx.seed(), m);
                similarity[r] = o.finalSimilarity();
                extra.add(List.of(Leaderboard.round(o.finalSimilarity()), o.passes() ? "passes" : "fails"));
                if (!o.passes() && r < explainers.size()) {
                    failed.add(all.get(r).name());
                }
            }
            randomisation = String.format(Locale.ROOT, " Randomisation check (every layer random, %d images, threshold %.2f): %s.", classes.length,
                    p.threshold(), failed.isEmpty() ? "every method's maps change with the weights" : "fails: " + String.join(", ", failed));
        } catch (AnalysisException e) {
            randomisation = " Randomisation check not run: " + e.getMessage();
            extra = null;
        }
        StringBuilder beaten = new StringBuilder();
        for (int r = 0; r < explainers.size(); r++) {
            List<String> not = new ArrayList<>();
            for (int c = 0; c < board.columns.size(); c++) {
                if (!board.beatsBaselines(r, c)) {
                    not.add(board.columns.get(c));
                }
            }
            beaten.append(String.format(Locale.ROOT, " %s beats both baselines on %d of %d scores%s.", explainers.get(r).name(),
                    board.columns.size() - not.size(), board.columns.size(), not.isEmpty() ? "" : " (not on " + String.join(", ", not) + ")"));
        }
        String summary = String.format(Locale.ROOT, "Explanation benchmark of %s: %d methods and 2 baselines on %d images with object masks%s, each "
                + "explained for its predicted class. %s%s%s", model.info().name(), explainers.size(), board.images,
                board.withoutMask == 0 ? "" : " (" + board.withoutMask + " without a mask skipped)", board.verdicts(), beaten, randomisation);
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", summary));
        parts.add(board.table("Leaderboard", extra == null ? List.of() : List.of("randomisation similarity (lower is better)", "randomisation check"),
                extra));
        parts.addAll(board.charts());
        if (extra != null) {
            double[] x = new double[all.size()];
            for (int r = 0; r < x.length; r++) {
                x[r] = r;
            }
            parts.add(new ChartResult("randomisation similarity (lower is better)", ChartKind.BAR, "method", "Spearman correlation",
                    List.of(new Series("similarity with every layer random", x, similarity)), board.rows));
        }
        return new CompositeResult("Explanation benchmark on " + model.info().name(), parts);
    }
}

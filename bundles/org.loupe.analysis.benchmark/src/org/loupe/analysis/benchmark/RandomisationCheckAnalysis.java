package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.quality.Classifier;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.ImageArray;
import org.loupe.analysis.quality.ModelClassifier;
import org.loupe.analysis.quality.RandomisationCheck;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Adebayo et al.'s model randomisation check of one method (and of the two baselines): the
 * weights randomised cascading from the top layer down, the Spearman correlation of the maps with
 * the trained model's after each layer; a method passes when, with every layer random, the
 * similarity is below the threshold. The model itself is never changed (the steps run on views with random weights).
 *
 * @since 0.1
 */
public class RandomisationCheckAnalysis implements Analysis<RandomisationCheckAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param method    the explanation method
     * @param images    how many of the run's images to use
     * @param cascade   one step per layer from the top (else only the fully random model)
     * @param threshold similarity below which a method passes
     */
    public record Params(@Param("explanation method (saliency, attention-rollout, gradient-rollout, ...)") String method,
            @Param(value = "how many of the images to explain", min = 1, max = 1024) int images,
            @Param("randomise layer by layer from the top (true) or all layers at once (false)") boolean cascade,
            @Param(value = "Spearman similarity with every layer random below which the method passes", min = -1, max = 1) double threshold) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("saliency", 8, true, 0.5);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=8", "images to explain with the trained and the randomised model"));
    }

    /** The first {@code count} images of the run as the model's input. */
    static NDArray input(AnalysisContext ctx, NDManager m, int count) throws AnalysisException {
        List<SourceImage> list = new ArrayList<>();
        ImageSource source = ctx.images();
        for (SourceImage s : source) {
            list.add(s);
            if (list.size() == count) {
                break;
            }
        }
        if (list.isEmpty()) {
            throw new AnalysisException("No images in " + source.describe());
        }
        return ImageTensors.toInput(m, list.stream().map(SourceImage::image).toList(), ctx.model().inputSpec());
    }

    /** Each image's predicted class. */
    static int[] predicted(HookedModel model, NDManager m, NDArray input) {
        float[][] s = new ModelClassifier(model, m, 64).scores(ImageArray.of(input));
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Classifier.argmax(s[i]);
        }
        return out;
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        Explainer method = BenchmarkExplainers.find(model, p.method());
        List<Explainer> rows = List.of(method, BaselineExplainer.random(ctx.seed()), BaselineExplainer.centre());
        List<RandomisationCheck.Outcome> outcomes = new ArrayList<>();
        NDManager m = ctx.manager();
        NDArray input = input(ctx, m, p.images());
        int[] classes = predicted(model, m, input);
        for (Explainer e : rows) {
            ctx.checkCanceled();
            outcomes.add(RandomisationCheck.run(model, e, input, classes, p.cascade(), p.threshold(), ctx.seed(), m));
        }
        RandomisationCheck.Outcome main = outcomes.get(0);
        List<String> cols = new ArrayList<>(List.of("layers randomised", "top layer randomised"));
        rows.forEach(e -> cols.add(e.name() + " similarity"));
        List<List<Object>> table = new ArrayList<>();
        double[] x = new double[main.similarity().length];
        for (int k = 0; k < x.length; k++) {
            x[k] = p.cascade() ? k + 1 : main.layers().size();
            List<Object> row = new ArrayList<>(List.of((int) x[k], main.layers().get(k)));
            for (RandomisationCheck.Outcome o : outcomes) {
                row.add(Leaderboard.round(o.similarity()[k]));
            }
            table.add(row);
        }
        List<Series> series = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            series.add(new Series(rows.get(r).name(), x, outcomes.get(r).similarity()));
        }
        String summary = String.format(Locale.ROOT, "Model randomisation check of %s on %s (%d images, %s): with every layer random the maps' Spearman "
                + "correlation with the trained model's is %.3f, %s the threshold %.2f: %s. Random map %.3f, centre bias %.3f (a map that ignores the "
                + "model does not change, and fails).", method.name(), model.info().name(), classes.length,
                p.cascade() ? "cascading from the top layer down" : "all layers at once", main.finalSimilarity(),
                main.passes() ? "below" : "not below", p.threshold(), main.passes() ? "PASSES" : "FAILS", outcomes.get(1).finalSimilarity(),
                outcomes.get(2).finalSimilarity());
        List<Result> parts = List.of(new TextResult("Summary", summary), new TableResult("Similarity after randomising the top layers", cols, table),
                new ChartResult("Similarity to the trained model's maps", ChartKind.LINE, "layers randomised (from the top)", "Spearman correlation", series));
        return new CompositeResult("Randomisation check of " + method.name() + " on " + model.info().name(), parts);
    }
}

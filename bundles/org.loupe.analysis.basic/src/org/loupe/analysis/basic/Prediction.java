package org.loupe.analysis.basic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What the model predicts for each image: the top classes with softmax probabilities, the first
 * image's top classes as a bar chart, and the accuracy when the images carry labels that match the
 * model's class names.
 *
 * @since 0.1
 */
public class Prediction implements Analysis<Prediction.Params> {

    /** Images shown at most in the grid (the table lists all). */
    static final int MAX_SHOWN = 64;

    /**
     * Parameters.
     *
     * @param topK      how many classes to list per image
     * @param batchSize images per forward pass
     */
    public record Params(@Param(value = "classes listed per image", min = 1, max = 100) int topK,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(5, 16);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("noise:count=4", "the images to classify: a file, a folder or a source"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        ImageSource source = ctx.images();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Predicting", source.size().orElse(10));
        List<String> labels = model.labels();
        Tally acc = new Tally(labels);
        List<RasterImage> shown = acc.shown;
        List<String> captions = acc.captions;
        List<List<Object>> rows = acc.rows;
        Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> {
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), model.inputSpec());
                NDArray out = model.forward(input, Hooks.none()).output();
                NDArray probs = out.reshape(out.getShape().get(0), -1).softmax(1);
                int classes = (int) probs.getShape().get(1);
                float[] all = probs.toFloatArray();
                for (int b = 0; b < batch.size(); b++) {
                    SourceImage s = batch.get(b);
                    float[] pr = java.util.Arrays.copyOfRange(all, b * classes, (b + 1) * classes);
                    acc.add(s, pr, topK(pr, Math.min(p.topK(), classes)));
                }
            }
            monitor.worked(batch.size());
        });
        int count = acc.count;
        int labelled = acc.labelled;
        int correct = acc.correct;
        float[] firstProbs = acc.firstProbs;
        String firstName = acc.firstName;
        if (count == 0) {
            throw new AnalysisException("No image could be read from " + source.describe()
                    + (source.problems().isEmpty() ? "" : ": " + String.join("; ", source.problems())));
        }
        List<Result> parts = new ArrayList<>();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "%d images, %s.", count, model.info().name()));
        if (labelled > 0) {
            summary.append(String.format(Locale.ROOT, " %d of %d labelled images correct (%.1f%%).", correct, labelled, 100.0 * correct / labelled));
        }
        if (!source.problems().isEmpty()) {
            summary.append(" Skipped: ").append(String.join("; ", source.problems()));
        }
        parts.add(new TextResult("Summary", summary.toString()));
        parts.add(new ImageGridResult("Predictions", shown, captions, Math.min(8, shown.size())));
        int[] top = topK(firstProbs, Math.min(p.topK(), firstProbs.length));
        double[] x = new double[top.length];
        double[] y = new double[top.length];
        List<String> names = new ArrayList<>();
        for (int r = 0; r < top.length; r++) {
            x[r] = r;
            y[r] = firstProbs[top[r]];
            names.add(name(labels, top[r]));
        }
        parts.add(new ChartResult("Top classes of " + firstName, ChartKind.BAR, "class", "probability",
                List.of(new Series("probability", x, y)), names));
        parts.add(new TableResult("Top " + p.topK() + " classes per image", List.of("image", "rank", "class", "probability", "label"), rows));
        return new CompositeResult("Predictions of " + model.info().name(), parts);
    }

    /** What the batches add up to. */
    private static final class Tally {
        final List<String> labels;
        final List<RasterImage> shown = new ArrayList<>();
        final List<String> captions = new ArrayList<>();
        final List<List<Object>> rows = new ArrayList<>();
        float[] firstProbs;
        String firstName;
        int labelled;
        int correct;
        int count;

        Tally(List<String> labels) {
            this.labels = labels;
        }

        void add(SourceImage s, float[] pr, int[] top) {
            String best = name(labels, top[0]);
            if (s.label() != null && labels.contains(s.label())) {
                labelled++;
                if (best.equals(s.label())) {
                    correct++;
                }
            }
            if (firstProbs == null) {
                firstProbs = pr;
                firstName = s.name();
            }
            if (shown.size() < MAX_SHOWN) {
                shown.add(s.image());
                captions.add(String.format(Locale.ROOT, "%s %.2f%s", best, pr[top[0]],
                        s.label() == null ? "" : best.equals(s.label()) ? " (ok)" : " (is " + s.label() + ")"));
            }
            for (int r = 0; r < top.length; r++) {
                rows.add(List.of(s.name(), r + 1, name(labels, top[r]), (double) pr[top[r]], s.label() == null ? "" : s.label()));
            }
            count++;
        }
    }

    private static String name(List<String> labels, int i) {
        return i < labels.size() ? labels.get(i) : "class " + i;
    }

    /** Indices of the k largest values, largest first (ties: lower index first). */
    static int[] topK(float[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> v[a] != v[b] ? Float.compare(v[b], v[a]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}

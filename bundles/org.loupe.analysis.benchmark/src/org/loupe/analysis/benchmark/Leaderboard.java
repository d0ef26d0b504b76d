package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.quality.Baselines;
import org.loupe.analysis.quality.Classifier;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.ImageArray;
import org.loupe.analysis.quality.Mask;
import org.loupe.analysis.quality.ModelClassifier;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Scores maps of explanation methods, and of the random and centre-bias baselines, with image
 * metrics over a run's images, and lays the means out as a table with bar and curve charts: the
 * engine of the metric analyses and of the benchmark. Each image's class is the one the model
 * predicts; every map is resampled to the image before it is scored.
 */
final class Leaderboard {

    static final String RANDOM = "baseline: random map";
    static final String CENTRE = "baseline: centre bias";

    final List<String> rows = new ArrayList<>();
    final List<String> columns = new ArrayList<>();
    final List<Boolean> higher = new ArrayList<>();
    final List<ImageMetric> metrics;
    /** sums[row][column] */
    final double[][] sums;
    /** curves[metric][curve][row][x] */
    final double[][][][] curves;
    int images;
    int withoutMask;
    final List<ImageArray> kept = new ArrayList<>();
    final List<Integer> keptClasses = new ArrayList<>();

    private Leaderboard(List<Explainer> explainers, List<ImageMetric> metrics) {
        explainers.forEach(e -> rows.add(e.name()));
        rows.add(RANDOM);
        rows.add(CENTRE);
        this.metrics = metrics;
        for (ImageMetric m : metrics) {
            columns.addAll(m.columns());
            for (boolean b : m.higherIsBetter()) {
                higher.add(b);
            }
        }
        sums = new double[rows.size()][columns.size()];
        curves = new double[metrics.size()][][][];
        for (int k = 0; k < metrics.size(); k++) {
            curves[k] = new double[metrics.get(k).curveNames().size()][rows.size()][metrics.get(k).curveX().length];
        }
    }

    /**
     * Scores {@code explainers} and the baselines with {@code metrics} on up to {@code count} images of the run.
     *
     * @param keep how many of the images (with their classes) to keep for a later check
     * @throws AnalysisException if no image fits (a mask metric and no image with a mask), or a method fails
     */
    static Leaderboard score(AnalysisContext ctx, List<Explainer> explainers, List<ImageMetric> metrics, int count, int batchSize, int keep)
            throws AnalysisException {
        Leaderboard board = new Leaderboard(explainers, metrics);
        HookedModel model = ctx.model();
        InputSpec spec = model.inputSpec();
        int w = (int) spec.width();
        int h = (int) spec.height();
        boolean needsMask = metrics.stream().anyMatch(ImageMetric::needsMask);
        Random random = new Random(ctx.seed());
        PixelMap centre = Baselines.centreBias(w, h);
        ImageSource source = ctx.images();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Scoring explanations", Math.min(count, source.size().orElse(count)));
        List<SourceImage> batch = new ArrayList<>();
        int read = 0;
        for (SourceImage s : source) {
            read++;
            if (needsMask && BenchmarkExplainers.mask(s, w, h) == null) {
                board.withoutMask++;
            } else {
                batch.add(s);
            }
            if (batch.size() == batchSize || read >= count) {
                if (!batch.isEmpty()) {
                    board.scoreBatch(ctx, explainers, batch, centre, random, keep);
                    monitor.worked(batch.size());
                    batch.clear();
                }
                if (read >= count) {
                    break;
                }
            }
        }
        if (!batch.isEmpty()) {
            board.scoreBatch(ctx, explainers, batch, centre, random, keep);
            monitor.worked(batch.size());
        }
        if (board.images == 0) {
            throw new AnalysisException(needsMask ? "None of the images of " + source.describe() + " has an object mask (ground truth 'mask'), which "
                    + metrics.stream().filter(ImageMetric::needsMask).map(ImageMetric::name).toList() + " needs; use images that have one, for example "
                    + "loupe-shapes:split=test,count=32" : "No images in " + source.describe());
        }
        return board;
    }

    private void scoreBatch(AnalysisContext ctx, List<Explainer> explainers, List<SourceImage> batch, PixelMap centre, Random random, int keep)
            throws AnalysisException {
        ctx.checkCanceled();
        HookedModel model = ctx.model();
        InputSpec spec = model.inputSpec();
        int w = (int) spec.width();
        int h = (int) spec.height();
        try (NDManager m = ctx.manager().newSubManager()) {
            NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), spec);
            List<ImageArray> arrays = ImageArray.of(input);
            Classifier classifier = new ModelClassifier(model, m, 64);
            float[][] clean = classifier.scores(arrays);
            int[] classes = new int[arrays.size()];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = Classifier.argmax(clean[i]);
            }
            List<List<PixelMap>> maps = new ArrayList<>();
            for (Explainer e : explainers) {
                maps.add(e.explain(model, input, classes));
            }
            for (int i = 0; i < arrays.size(); i++) {
                Mask mask = BenchmarkExplainers.mask(batch.get(i), w, h);
                ImageMetric.Sample sample = new ImageMetric.Sample(arrays.get(i), mask, classes[i], classifier);
                List<PixelMap> row = new ArrayList<>();
                for (List<PixelMap> mm : maps) {
                    row.add(mm.get(i).resize(w, h));
                }
                row.add(Baselines.random(w, h, random));
                row.add(centre);
                for (int r = 0; r < row.size(); r++) {
                    add(r, sample, row.get(r), random);
                }
                if (kept.size() < keep) {
                    kept.add(arrays.get(i));
                    keptClasses.add(classes[i]);
                }
                this.images++;
            }
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
    }

    private void add(int row, ImageMetric.Sample sample, PixelMap map, Random random) {
        int col = 0;
        for (int k = 0; k < metrics.size(); k++) {
            ImageMetric.Scored s = metrics.get(k).score(sample, map, random);
            for (double v : s.values()) {
                sums[row][col++] += v;
            }
            for (int c = 0; c < s.curves().length; c++) {
                for (int x = 0; x < s.curves()[c].length; x++) {
                    curves[k][c][row][x] += s.curves()[c][x];
                }
            }
        }
    }

    /** The mean of column {@code c} for row {@code r}. */
    double mean(int r, int c) {
        return sums[r][c] / images;
    }

    /** The index of the best method (not a baseline) in column {@code c}. */
    int best(int c) {
        int best = 0;
        for (int r = 1; r < rows.size() - 2; r++) {
            if (higher.get(c) ? mean(r, c) > mean(best, c) : mean(r, c) < mean(best, c)) {
                best = r;
            }
        }
        return best;
    }

    /** The better of the two baselines in column {@code c}. */
    double bestBaseline(int c) {
        double a = mean(rows.size() - 2, c);
        double b = mean(rows.size() - 1, c);
        return higher.get(c) ? Math.max(a, b) : Math.min(a, b);
    }

    /** Whether row {@code r} beats both baselines in column {@code c}. */
    boolean beatsBaselines(int r, int c) {
        return higher.get(c) ? mean(r, c) > bestBaseline(c) : mean(r, c) < bestBaseline(c);
    }

    /** A line per column: the best method, its value, the better baseline's. */
    String verdicts() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            int b = best(c);
            sb.append(String.format(Locale.ROOT, "%s%s: best %s %.3f, better baseline %.3f (%s by %.3f).", sb.length() == 0 ? "" : " ",
                    columns.get(c), rows.get(b), mean(b, c), bestBaseline(c), beatsBaselines(b, c) ? "ahead" : "NOT ahead",
                    Math.abs(mean(b, c) - bestBaseline(c))));
        }
        return sb.toString();
    }

    /** The table, rounded to 4 decimals, with extra columns appended from {@code extra} (one list per row). */
    TableResult table(String title, List<String> extraColumns, List<List<Object>> extra) {
        List<String> cols = new ArrayList<>();
        cols.add("method");
        columns.forEach(c -> cols.add(c + (higher.get(columns.indexOf(c)) ? " (higher is better)" : " (lower is better)")));
        cols.addAll(extraColumns);
        cols.add("images");
        List<List<Object>> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<Object> row = new ArrayList<>();
            row.add(rows.get(r));
            for (int c = 0; c < columns.size(); c++) {
                row.add(round(mean(r, c)));
            }
            if (extra != null) {
                row.addAll(extra.get(r));
            }
            row.add(images);
            out.add(row);
        }
        return new TableResult(title, cols, out);
    }

    /** One bar chart per column and one line chart per curve. */
    List<Result> charts() {
        List<Result> out = new ArrayList<>();
        double[] x = new double[rows.size()];
        for (int r = 0; r < x.length; r++) {
            x[r] = r;
        }
        for (int c = 0; c < columns.size(); c++) {
            double[] y = new double[rows.size()];
            for (int r = 0; r < y.length; r++) {
                y[r] = mean(r, c);
            }
            out.add(new ChartResult(columns.get(c) + (higher.get(c) ? " (higher is better)" : " (lower is better)"), ChartKind.BAR, "method",
                    columns.get(c), List.of(new Series(columns.get(c), x, y)), rows));
        }
        for (int k = 0; k < metrics.size(); k++) {
            ImageMetric m = metrics.get(k);
            for (int c = 0; c < m.curveNames().size(); c++) {
                List<Series> series = new ArrayList<>();
                for (int r = 0; r < rows.size(); r++) {
                    double[] y = curves[k][c][r].clone();
                    for (int i = 0; i < y.length; i++) {
                        y[i] /= images;
                    }
                    series.add(new Series(rows.get(r), m.curveX(), y));
                }
                out.add(new ChartResult(m.name() + ": " + m.curveNames().get(c), ChartKind.LINE, m.curveXLabel(),
                        m.name().equals("ROAD") ? "accuracy" : "score of the class", series));
            }
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}

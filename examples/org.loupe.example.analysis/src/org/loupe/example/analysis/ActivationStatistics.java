package org.loupe.example.analysis;

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
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Range;
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
 * Activation statistics of one hook point over a set of images: a histogram of all activation
 * values, the mean and standard deviation of each unit (channel, feature, head), and the fraction
 * of dead units (units whose activation never exceeds a threshold on any image or position).
 *
 * <p>This is Loupe's worked example of a third-party analysis: it uses only the public API
 * ({@code org.loupe.core.*} and DJL's NDArray) and is contributed by {@code plugin.xml}. It makes
 * two passes over the images so that memory stays bounded by one batch: the first for per-unit
 * sums and the value range, the second for the histogram. After the first pass it publishes the
 * per-unit profile as a partial result, which the workbench shows while the second pass runs; the
 * profile is a result type of the plug-in's own ({@link UnitProfile}, stored by
 * {@link UnitProfileCodec}).
 */
public class ActivationStatistics implements Analysis<ActivationStatistics.Params> {

    /**
     * Parameters.
     *
     * @param bins          number of histogram bins
     * @param batchSize     images per forward pass
     * @param deadThreshold a unit is dead if its activation never exceeds this
     */
    public record Params(
            @Param(value = "number of histogram bins", min = 2, max = 1000) int bins,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize,
            @Param("a unit is dead if its activation never exceeds this") double deadThreshold) implements Validating {

        @Override
        public void validate() {
            if (!Double.isFinite(deadThreshold)) {
                throw new IllegalArgumentException("parameter 'deadThreshold' must be a finite number, got " + deadThreshold);
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(50, 16, 0.0);
    }

    /** It reads images: the ones given with the request, else 32 noise images. */
    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("noise:count=32", "the images to collect statistics over: a folder, or a source such as noise:count=32"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookPoint point = ctx.hookPoint();
        ImageSource source = ctx.images();
        int units = (int) point.units();
        int total = source.size().orElse(0);
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Activation statistics of " + point.name(), 2 * Math.max(total, 1));

        // pass 1: per-unit sums, maxima, and the global range
        double[] sum = new double[units];
        double[] sumSq = new double[units];
        double[] max = new double[units];
        double[] min = new double[units];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        long[] images = {0};
        long perUnit = forEachBatch(ctx, source, p.batchSize(), point, monitor, values -> {
            int m = values.length / units;
            for (int u = 0; u < units; u++) {
                for (int k = u * m; k < (u + 1) * m; k++) {
                    double v = values[k];
                    sum[u] += v;
                    sumSq[u] += v * v;
                    max[u] = Math.max(max[u], v);
                    min[u] = Math.min(min[u], v);
                }
            }
        }, images);
        if (perUnit == 0) {
            throw new AnalysisException("No image could be read from " + source.describe() + (source.problems().isEmpty() ? ""
                    : ": " + String.join("; ", source.problems())));
        }
        // the per-unit statistics are complete after pass 1: the workbench shows them while pass 2 runs
        ctx.publish(profile(ctx, point, units, perUnit, sum, sumSq, max, p.deadThreshold()));
        double lo = java.util.Arrays.stream(min).min().orElse(0);
        double hi = java.util.Arrays.stream(max).max().orElse(0);
        if (hi <= lo) {
            hi = lo + 1;
        }

        // pass 2: histogram over [lo, hi]
        long[] counts = new long[p.bins()];
        double width = (hi - lo) / p.bins();
        double low = lo;
        forEachBatch(ctx, source, p.batchSize(), point, monitor, values -> {
            for (float v : values) {
                int b = (int) ((v - low) / width);
                counts[Math.max(0, Math.min(p.bins() - 1, b))]++;
            }
        }, new long[1]);

        return result(point, source, p, units, perUnit, images[0], sum, sumSq, min, max, counts, lo, width,
                profile(ctx, point, units, perUnit, sum, sumSq, max, p.deadThreshold()));
    }

    /** The plug-in's own result type: mean, std and deadness per unit. */
    private static UnitProfile profile(AnalysisContext ctx, HookPoint point, int units, long perUnit, double[] sum, double[] sumSq,
            double[] max, double deadThreshold) {
        double[] mean = new double[units];
        double[] std = new double[units];
        boolean[] dead = new boolean[units];
        for (int u = 0; u < units; u++) {
            mean[u] = sum[u] / perUnit;
            std[u] = Math.sqrt(Math.max(0, sumSq[u] / perUnit - mean[u] * mean[u]));
            dead[u] = max[u] <= deadThreshold;
        }
        return new UnitProfile("Unit profile of " + point.name(), ctx.model().info().id(), point.name(), mean, std, dead);
    }

    /** Streams the images in batches through the model; hands each batch's activations, unit-major, to {@code sink}. */
    private static long forEachBatch(AnalysisContext ctx, ImageSource source, int batchSize, HookPoint point, SubMonitor monitor,
            java.util.function.Consumer<float[]> sink, long[] imageCount) {
        HookedModel model = ctx.model();
        long[] perUnit = {0};
        imageCount[0] += Batches.forEach(source, batchSize, ctx::checkCanceled, batch -> {
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), model.inputSpec());
                NDArray act = model.forward(input, Hooks.none(), Range.until(point.name())).output(); // nothing beyond the point is computed
                NDArray unitMajor = act.swapAxes(0, point.kind().unitAxis()).reshape(point.units(), -1);
                float[] values = unitMajor.toFloatArray();
                perUnit[0] += values.length / point.units();
                sink.accept(values);
            }
            monitor.worked(batch.size());
        });
        return perUnit[0];
    }

    private static Result result(HookPoint point, ImageSource source, Params p, int units, long perUnit, long images, double[] sum,
            double[] sumSq, double[] min, double[] max, long[] counts, double lo, double width, UnitProfile profile) {
        double[] mean = new double[units];
        double[] std = new double[units];
        double[] index = new double[units];
        int dead = 0;
        double totalSum = 0;
        double totalSq = 0;
        List<List<Object>> rows = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            index[u] = u;
            mean[u] = sum[u] / perUnit;
            std[u] = Math.sqrt(Math.max(0, sumSq[u] / perUnit - mean[u] * mean[u]));
            totalSum += sum[u];
            totalSq += sumSq[u];
            boolean isDead = max[u] <= p.deadThreshold();
            if (isDead) {
                dead++;
            }
            rows.add(List.of(u, mean[u], std[u], min[u], max[u], isDead ? "dead" : ""));
        }
        double n = (double) perUnit * units;
        double overallMean = totalSum / n;
        double overallStd = Math.sqrt(Math.max(0, totalSq / n - overallMean * overallMean));
        double[] centres = new double[counts.length];
        double[] freq = new double[counts.length];
        for (int b = 0; b < counts.length; b++) {
            centres[b] = lo + (b + 0.5) * width;
            freq[b] = counts[b];
        }
        String summary = String.format(Locale.ROOT,
                "%s (%s) over %d images: mean %.4g, std %.4g, range [%.4g, %.4g].%n%d of %d units dead (%.1f%%: activation never above %s).",
                point.name(), point.describe(), images, overallMean, overallStd, lo, lo + width * counts.length, dead, units,
                100.0 * dead / units, p.deadThreshold())
                + (source.problems().isEmpty() ? "" : String.format("%nSkipped %d unreadable files: %s", source.problems().size(),
                        String.join("; ", source.problems())));
        return new CompositeResult("Activation statistics of " + point.name(), List.of(
                new TextResult("Summary", summary),
                new ChartResult("Histogram of " + point.name() + " activations", ChartKind.HISTOGRAM, "activation", "count",
                        List.of(new Series("values", centres, freq))),
                new ChartResult("Mean and std per unit of " + point.name(), ChartKind.BAR, "unit", "activation",
                        List.of(new Series("mean", index, mean), new Series("std", index, std))),
                new TableResult("Per-unit statistics of " + point.name(), List.of("unit", "mean", "std", "min", "max", "dead"), rows),
                profile));
    }
}

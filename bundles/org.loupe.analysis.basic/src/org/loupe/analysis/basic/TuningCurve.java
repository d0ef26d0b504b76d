package org.loupe.analysis.basic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Range;
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
 * A unit's response to a stimulus sweep: for each value of the swept parameter (from the images'
 * ground truth {@code parameter} and {@code value}), the unit's activation — its spatial mean, its
 * maximum, or the value at the centre position — averaged over the images with that value. The
 * Circuits thread's radial tuning curves of curve detectors are this plot over orientation.
 *
 * @since 0.1
 */
public class TuningCurve implements Analysis<TuningCurve.Params> {

    /** How one image's response is read from a unit's activation map. */
    public enum Response {
        /** Mean over positions (or tokens). */
        MEAN,
        /** Maximum over positions (or tokens). */
        MAX,
        /** The centre position (the class token for token sequences). */
        CENTER
    }

    /**
     * Parameters.
     *
     * @param response  how an image's response is read from the unit
     * @param batchSize images per forward pass
     */
    public record Params(@Param("how an image's response is read: mean, max, or centre position") Response response,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(Response.MEAN, 16);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("sweep:stimulus=curves,parameter=orientation,from=0,to=360,steps=24",
                "a stimulus sweep (or any images with a 'value' in their ground truth)"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookPoint point = ctx.hookPoint();
        int unit = ctx.unit();
        HookedModel model = ctx.model();
        ImageSource source = ctx.images();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Tuning curve of " + point.name() + ":" + unit, source.size().orElse(10));
        Map<Double, double[]> sums = new TreeMap<>();
        Map<Double, RasterImage> example = new TreeMap<>();
        String[] parameter = {null};
        int[] counter = {0};
        int index = Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> {
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), model.inputSpec());
                NDArray act = model.forward(input, Hooks.none(), Range.until(point.name())).output(); // nothing beyond the point is computed
                float[] responses = responses(act, point, unit, p.response());
                for (int b = 0; b < batch.size(); b++) {
                    SourceImage s = batch.get(b);
                    Object v = s.groundTruth().get("value");
                    double x = v instanceof Number n ? n.doubleValue() : counter[0];
                    if (parameter[0] == null) {
                        parameter[0] = s.groundTruth().get("parameter") instanceof String name ? name : "image";
                    }
                    double[] acc = sums.computeIfAbsent(x, k -> new double[2]);
                    acc[0] += responses[b];
                    acc[1]++;
                    example.putIfAbsent(x, s.image());
                    counter[0]++;
                }
            }
            monitor.worked(batch.size());
        });
        if (sums.isEmpty()) {
            throw new AnalysisException("No image could be read from " + source.describe());
        }
        double[] xs = new double[sums.size()];
        double[] ys = new double[sums.size()];
        List<List<Object>> rows = new ArrayList<>();
        List<RasterImage> images = new ArrayList<>();
        String param = parameter[0];
        List<String> captions = new ArrayList<>();
        int i = 0;
        int best = 0;
        for (Map.Entry<Double, double[]> e : sums.entrySet()) {
            xs[i] = e.getKey();
            ys[i] = e.getValue()[0] / e.getValue()[1];
            if (ys[i] > ys[best]) {
                best = i;
            }
            rows.add(List.of(xs[i], ys[i], (long) e.getValue()[1]));
            images.add(example.get(e.getKey()));
            captions.add(String.format(Locale.ROOT, "%s %.4g: %.3g", param, xs[i], ys[i]));
            i++;
        }
        double min = java.util.Arrays.stream(ys).min().orElse(0);
        String name = point.name() + ":" + unit;
        String summary = String.format(Locale.ROOT, "%s responds most at %s = %.4g (%.4g; least %.4g) over %d values of %d images (%s response).",
                name, param, xs[best], ys[best], min, xs.length, index, p.response().name().toLowerCase(Locale.ROOT));
        return new CompositeResult("Tuning curve of " + name + " over " + param, List.of(
                new TextResult("Summary", summary),
                new ChartResult("Response of " + name + " by " + param, ChartKind.LINE, param, "activation",
                        List.of(new Series(name, xs, ys))),
                new ImageGridResult("Stimuli", images, captions, Math.min(8, images.size())),
                new TableResult("Responses", List.of(param, "response", "images"), rows)));
    }

    /** One response per image of the batch, read from the unit's activation. */
    static float[] responses(NDArray act, HookPoint point, int unit, Response response) {
        int n = (int) act.getShape().get(0);
        int axis = point.kind().unitAxis();
        int[] order = new int[act.getShape().dimension()];
        order[0] = axis;
        for (int d = 0, k = 1; d < order.length; d++) {
            if (d != axis) {
                order[k++] = d;
            }
        }
        // [units, N, positions...] -> the unit's [N, positions...] -> [N, P]
        NDArray flat = act.transpose(order).get(unit).reshape(n, -1);
        return switch (response) {
            case MEAN -> flat.mean(new int[] {1}).toFloatArray();
            case MAX -> flat.max(new int[] {1}).toFloatArray();
            case CENTER -> {
                if (point.kind() == HookKind.TOKENS) {
                    yield flat.get(":, 0").toFloatArray();
                }
                long positions = flat.getShape().get(1);
                if (point.kind() == HookKind.CONV_CHANNELS) {
                    long h = point.shape().get(1);
                    long w = point.shape().get(2);
                    yield flat.get(":, " + ((h / 2) * w + w / 2)).toFloatArray();
                }
                yield flat.get(":, " + positions / 2).toFloatArray();
            }
        };
    }
}

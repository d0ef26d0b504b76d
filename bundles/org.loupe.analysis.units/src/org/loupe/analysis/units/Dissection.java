package org.loupe.analysis.units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.units.internal.Concepts;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Range;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Automatic unit labels by Network Dissection (Bau et al. 2017): each unit's activation maps over
 * a dataset are thresholded at the unit's top quantile (0.5 % by default), upsampled bilinearly to
 * the input, and compared with every concept's masks by intersection over union summed over the
 * images; a unit's label is its best concept, and units whose best IoU passes a threshold count as
 * interpretable. The concepts come from the images' ground truth ({@code Concepts}): shape classes,
 * colours and backgrounds, edges, lines and curves by orientation and gratings by frequency.
 *
 * @since 0.1
 */
public class Dissection implements Analysis<Dissection.Params> {

    private static final long MAX_VALUES = 64L << 20;

    /**
     * Parameters.
     *
     * @param quantile     the fraction of each unit's activations above its threshold
     * @param iouThreshold the IoU from which a unit counts as interpretable
     * @param batchSize    images per forward pass
     */
    public record Params(@Param(value = "fraction of each unit's activations above its threshold", min = 1e-5, max = 0.5) double quantile,
            @Param(value = "IoU from which a unit counts as interpretable", min = 0, max = 1) double iouThreshold,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(0.005, 0.04, 16);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:count=256", "images with concept masks in their ground truth (Loupe Shapes, "
                + "shapes, edges, lines, curves, gratings)"));
    }

    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        if (point.kind() != HookKind.CONV_CHANNELS) {
            throw new IllegalArgumentException("'" + point.name() + "' is a " + point.kind().id() + " hook point; dissection needs "
                    + "spatial maps (a conv hook point)");
        }
    }

    /**
     * One unit's label.
     *
     * @param unit     the unit
     * @param concept  the best concept, or empty if no concept overlaps
     * @param category the concept's category
     * @param iou      its IoU
     */
    public record Label(int unit, String concept, String category, double iou) {
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        check(model, point, p, null);
        ImageSource source = ctx.images();
        int units = (int) point.units();
        int rows = (int) point.shape().get(1);
        int cols = (int) point.shape().get(2);
        int per = rows * cols;
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Dissection of " + point.name(), 2 * source.size().orElse(1000));
        List<float[]> maps = new ArrayList<>();
        Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> {
            if ((long) (maps.size() + batch.size()) * units * per > MAX_VALUES) {
                throw new IllegalArgumentException("the activations of '" + point.name() + "' over this many images do not fit in memory ("
                        + MAX_VALUES / ((long) units * per) + " images at most): dissect fewer images");
            }
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), model.inputSpec());
                float[] all = model.forward(input, Hooks.none(), Range.until(point.name())).output().toFloatArray();
                for (int n = 0; n < batch.size(); n++) {
                    maps.add(Arrays.copyOfRange(all, n * units * per, (n + 1) * units * per));
                }
            }
            monitor.worked(batch.size());
        });
        if (maps.isEmpty()) {
            throw new AnalysisException("No image could be read from " + source.describe());
        }
        float[] thresholds = thresholds(maps, units, per, p.quantile());
        InputSpec spec = model.inputSpec();
        int h = spec.height();
        int w = spec.width();
        Map<String, Integer> categories = new LinkedHashMap<>();
        Map<String, Integer> concepts = new LinkedHashMap<>();
        Map<String, String> categoryOf = new LinkedHashMap<>();
        List<double[]> sumA = new ArrayList<>();
        List<double[]> inter = new ArrayList<>();
        List<double[]> sumM = new ArrayList<>();
        int index = 0;
        boolean[] active = new boolean[h * w];
        for (SourceImage image : source) {
            if (index >= maps.size()) {
                break;
            }
            ctx.checkCanceled();
            float[] act = maps.get(index++);
            List<Concepts.Mask> masks = new ArrayList<>();
            for (Concepts.Mask m : Concepts.of(image)) {
                masks.add(new Concepts.Mask(m.category(), m.concept(), toInput(m.pixels(), image.image().width(), image.image().height(), spec)));
            }
            for (Concepts.Mask m : masks) {
                categories.computeIfAbsent(m.category(), c -> {
                    sumA.add(new double[units]);
                    return sumA.size() - 1;
                });
                concepts.computeIfAbsent(m.concept(), c -> {
                    inter.add(new double[units]);
                    sumM.add(new double[1]);
                    categoryOf.put(c, m.category());
                    return inter.size() - 1;
                });
                sumM.get(concepts.get(m.concept()))[0] += count(m.pixels());
            }
            List<String> annotated = masks.stream().map(Concepts.Mask::category).distinct().toList();
            for (int u = 0; u < units; u++) {
                float[] up = ImageTensors.resize(Arrays.copyOfRange(act, u * per, (u + 1) * per), 1, rows, cols, h, w);
                int area = 0;
                for (int i = 0; i < up.length; i++) {
                    active[i] = up[i] > thresholds[u];
                    if (active[i]) {
                        area++;
                    }
                }
                for (String c : annotated) {
                    sumA.get(categories.get(c))[u] += area;
                }
                for (Concepts.Mask m : masks) {
                    int both = 0;
                    boolean[] px = m.pixels();
                    for (int i = 0; i < px.length; i++) {
                        if (px[i] && active[i]) {
                            both++;
                        }
                    }
                    inter.get(concepts.get(m.concept()))[u] += both;
                }
            }
            monitor.worked(1);
        }
        if (concepts.isEmpty()) {
            throw new AnalysisException("the images of " + source.describe() + " have no concept masks in their ground truth; dissect "
                    + "Loupe Shapes, shapes, edges, lines, curves or gratings");
        }
        List<Label> labels = new ArrayList<>();
        List<List<Object>> table = new ArrayList<>();
        TreeMap<String, Integer> counts = new TreeMap<>();
        int interpretable = 0;
        for (int u = 0; u < units; u++) {
            String best = "";
            String second = "";
            double bestIou = 0;
            double secondIou = 0;
            for (Map.Entry<String, Integer> c : concepts.entrySet()) {
                double in = inter.get(c.getValue())[u];
                double union = sumA.get(categories.get(categoryOf.get(c.getKey())))[u] + sumM.get(c.getValue())[0] - in;
                double iou = union > 0 ? in / union : 0;
                if (iou > bestIou) {
                    second = best;
                    secondIou = bestIou;
                    best = c.getKey();
                    bestIou = iou;
                } else if (iou > secondIou) {
                    second = c.getKey();
                    secondIou = iou;
                }
            }
            labels.add(new Label(u, best, categoryOf.getOrDefault(best, ""), bestIou));
            boolean ok = bestIou >= p.iouThreshold() && bestIou > 0;
            if (ok) {
                interpretable++;
                counts.merge(best, 1, Integer::sum);
            }
            table.add(List.of(new UnitRef(model.info().id(), point.name(), u), best, categoryOf.getOrDefault(best, ""), bestIou,
                    second, secondIou, ok ? "yes" : "no", (double) thresholds[u]));
        }
        table.sort((a, b) -> Double.compare((Double) b.get(3), (Double) a.get(3)));
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT,
                "%d of %d units of %s are interpretable (best IoU >= %.3g) over %d images of %s, %d concepts in %d categories.",
                interpretable, units, point.name(), p.iouThreshold(), maps.size(), source.describe(), concepts.size(), categories.size()));
        if (!counts.isEmpty()) {
            summary.append(" Labels:");
            counts.forEach((c, n) -> summary.append(' ').append(c).append(" ").append(n).append(','));
            summary.setLength(summary.length() - 1);
            summary.append('.');
        }
        return new CompositeResult("Dissection of " + point.name(), List.of(new TextResult("Summary", summary.toString()),
                new TableResult("Unit labels of " + point.name(), List.of("unit", "label", "category", "IoU", "second label", "second IoU",
                        "interpretable", "threshold"), table)));
    }

    /** Each unit's threshold: the value above which {@code quantile} of its activations lie. */
    private static float[] thresholds(List<float[]> maps, int units, int per, double quantile) {
        float[] out = new float[units];
        float[] values = new float[maps.size() * per];
        for (int u = 0; u < units; u++) {
            for (int n = 0; n < maps.size(); n++) {
                System.arraycopy(maps.get(n), u * per, values, n * per, per);
            }
            Arrays.sort(values);
            double pos = (1 - quantile) * (values.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(values.length - 1, lo + 1);
            out[u] = (float) (values[lo] + (pos - lo) * (values[hi] - values[lo]));
        }
        return out;
    }

    /** A mask in image pixels moved to the model's input: resized as the image is, centre-cropped (nearest pixel). */
    private static boolean[] toInput(boolean[] mask, int width, int height, InputSpec spec) {
        if (width == spec.width() && height == spec.height()) {
            return mask;
        }
        int[] scaled = ImageTensors.resizedSize(width, height, spec);
        int[] offset = ImageTensors.cropOffset(scaled, spec);
        boolean[] out = new boolean[spec.width() * spec.height()];
        for (int y = 0; y < spec.height(); y++) {
            int sy = Math.min(height - 1, (int) ((y + offset[1] + 0.5) * height / scaled[1]));
            for (int x = 0; x < spec.width(); x++) {
                int sx = Math.min(width - 1, (int) ((x + offset[0] + 0.5) * width / scaled[0]));
                out[y * spec.width() + x] = mask[sy * width + sx];
            }
        }
        return out;
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}

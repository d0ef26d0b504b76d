package org.loupe.analysis.units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.loupe.analysis.units.internal.Convs;
import org.loupe.analysis.units.internal.Pictures;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.blocks.BlockModel;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;

import ai.djl.ndarray.NDManager;

/**
 * Weights between units (OpenAI Microscope's "weights", Circuits' "strongest connections"): for a
 * conv unit, the input units with the strongest weights (the L2 norm of the kernel slice between
 * them), each kernel slice drawn as a small picture (red positive, blue negative), and a histogram
 * of how sparse the weights between the two layers are.
 *
 * @since 0.1
 */
public class Weights implements Analysis<Weights.Params> {

    private static final int BINS = 20;

    /**
     * Parameters.
     *
     * @param top how many input units are listed and drawn
     */
    public record Params(@Param(value = "how many of the strongest input units are listed and drawn", min = 1, max = 4096) int top) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(8);
    }

    @Override
    public Optional<String> unavailableReason(HookedModel model) {
        return model instanceof BlockModel ? Optional.empty()
                : Optional.of("weights are read from the model's layers, and a TorchScript model does not expose them");
    }

    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        if (point.kind() != HookKind.CONV_CHANNELS) {
            throw new IllegalArgumentException("'" + point.name() + "' is a " + point.kind().id() + " hook point; weights between units "
                    + "are shown for conv hook points");
        }
        Convs.feeding(model, point.name());
    }

    /**
     * The strongest input connections of {@code unit} at {@code point}, strongest first.
     *
     * @param input the input unit (channel of {@code conv.input()}, or of the image)
     * @param norm  the L2 norm of the kernel slice
     * @param sum   the sum of the kernel slice
     */
    public record Connection(int input, double norm, double sum) {
    }

    /** The input connections of {@code unit}, strongest (largest L2 norm) first. */
    public static List<Connection> connections(HookedModel model, String point, int unit) {
        Convs.Conv conv = Convs.feeding(model, point);
        if (unit < 0 || unit >= conv.out()) {
            throw new IllegalArgumentException("unit " + unit + " is out of range: '" + point + "' has units 0 to " + (conv.out() - 1));
        }
        List<Connection> all = new ArrayList<>();
        for (int c = 0; c < conv.in(); c++) {
            all.add(new Connection(c, conv.norm(unit, c), conv.sum(unit, c)));
        }
        all.sort(Comparator.comparingDouble(Connection::norm).reversed().thenComparingInt(Connection::input));
        return all;
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        int unit = ctx.unit();
        Convs.Conv conv;
        try {
            conv = Convs.feeding(model, point.name());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        List<Connection> strongest = connections(model, point.name(), unit);
        String from = conv.input() != null ? conv.input() : "the image";
        String name = point.name() + ":" + unit;
        List<List<Object>> rows = new ArrayList<>();
        List<RasterImage> kernels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        float scale = 0;
        for (int c = 0; c < conv.in(); c++) {
            for (float w : conv.slice(unit, c)) {
                scale = Math.max(scale, Math.abs(w));
            }
        }
        int cell = Math.max(4, 48 / Math.max(conv.kh(), conv.kw()));
        for (int r = 0; r < Math.min(p.top(), strongest.size()); r++) {
            Connection x = strongest.get(r);
            Object input = conv.input() != null ? new UnitRef(model.info().id(), conv.input(), x.input()) : "image channel " + x.input();
            rows.add(List.of((long) r + 1, input, x.norm(), x.sum()));
            kernels.add(Pictures.kernel(conv.slice(unit, x.input()), conv.kh(), conv.kw(), scale, cell));
            captions.add(String.format(Locale.ROOT, "%s %s: L2 %.3g, sum %+.3g", conv.input() != null ? conv.input() + ":" : "channel ",
                    x.input(), x.norm(), x.sum()));
        }
        double[] hist = new double[BINS];
        double max = 0;
        for (int u = 0; u < conv.out(); u++) {
            for (int c = 0; c < conv.in(); c++) {
                max = Math.max(max, conv.norm(u, c));
            }
        }
        int small = 0;
        for (int u = 0; u < conv.out(); u++) {
            for (int c = 0; c < conv.in(); c++) {
                double f = max > 0 ? conv.norm(u, c) / max : 0;
                hist[Math.min(BINS - 1, (int) (f * BINS))]++;
                if (f < 0.1) {
                    small++;
                }
            }
        }
        double[] centres = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            centres[b] = (b + 0.5) / BINS;
        }
        long pairs = (long) conv.out() * conv.in();
        String summary = String.format(Locale.ROOT, "%s reads %d units of %s through %dx%d kernels. Strongest: %s (L2 %.3g). "
                + "Between the two layers %.1f %% of the %d unit pairs have a kernel under a tenth of the largest L2 norm.",
                name, conv.in(), from, conv.kh(), conv.kw(), rows.get(0).get(1), strongest.get(0).norm(), 100.0 * small / pairs, pairs);
        List<Result> parts = new ArrayList<>(List.of(new TextResult("Summary", summary),
                new TableResult("Strongest inputs of " + name, List.of("rank", "input unit", "L2 norm", "sum"), rows),
                new ImageGridResult("Kernel slices into " + name, kernels, captions, Math.min(8, kernels.size())),
                new ChartResult("Weight sparsity between " + from + " and " + point.name(), ChartKind.HISTOGRAM,
                        "kernel L2 norm / largest", "unit pairs", List.of(new Series("unit pairs", centres, hist)))));
        parts.addAll(outputs(model, point, unit, p.top()));
        return new CompositeResult("Weights of " + name, parts);
    }

    /** The units of the next convolution that read {@code unit} most strongly, with their kernel slices; none if no convolution reads it. */
    private static List<Result> outputs(HookedModel model, HookPoint point, int unit, int top) {
        var reader = Convs.readBy(model, point.name()).filter(r -> r.conv().in() == point.units());
        if (reader.isEmpty()) {
            return List.of(new TextResult("Output connections", "No convolution reads " + point.name() + " channel by channel (it is the "
                    + "last conv stretch, or a linear layer or a flatten follows), so there are no output connections to show."));
        }
        Convs.Conv next = reader.get().conv();
        String out = reader.get().output();
        List<Connection> strongest = new ArrayList<>();
        float scale = 0;
        for (int o = 0; o < next.out(); o++) {
            strongest.add(new Connection(o, next.norm(o, unit), next.sum(o, unit)));
            for (float w : next.slice(o, unit)) {
                scale = Math.max(scale, Math.abs(w));
            }
        }
        strongest.sort(Comparator.comparingDouble(Connection::norm).reversed().thenComparingInt(Connection::input));
        int cell = Math.max(4, 48 / Math.max(next.kh(), next.kw()));
        List<List<Object>> rows = new ArrayList<>();
        List<RasterImage> kernels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int r = 0; r < Math.min(top, strongest.size()); r++) {
            Connection x = strongest.get(r);
            rows.add(List.of((long) r + 1, new UnitRef(model.info().id(), out, x.input()), x.norm(), x.sum()));
            kernels.add(Pictures.kernel(next.slice(x.input(), unit), next.kh(), next.kw(), scale, cell));
            captions.add(String.format(Locale.ROOT, "%s:%d: L2 %.3g, sum %+.3g", out, x.input(), x.norm(), x.sum()));
        }
        String name = point.name() + ":" + unit;
        return List.of(new TableResult("Strongest outputs of " + name, List.of("rank", "output unit", "L2 norm", "sum"), rows),
                new ImageGridResult("Kernel slices out of " + name, kernels, captions, Math.min(8, kernels.size())));
    }
}

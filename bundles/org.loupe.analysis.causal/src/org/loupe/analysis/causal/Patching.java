package org.loupe.analysis.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.causal.internal.Corruption;
import org.loupe.analysis.causal.internal.LayerPasses;
import org.loupe.analysis.causal.internal.Rows;
import org.loupe.analysis.causal.internal.Steps;
import org.loupe.analysis.causal.internal.Targets;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Interventions;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Sites;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Activation patching: runs a corrupted input with one activation taken from the clean input, and
 * measures how much of the clean behaviour that restores, normalised so that 0 is the corrupted
 * run and 1 the clean one: {@code (m_patched - m_corrupt) / (m_clean - m_corrupt)}, summed over the
 * pairs before dividing. Each hook point is patched whole (one value per hook point), and each unit,
 * position, token or head of the selected hook point (and of the hook points like it, for the heat
 * map of layers x sites) on its own, in batched passes resumed from the nearest resumable point.
 *
 * @since 0.1
 */
public class Patching implements Analysis<Patching.Params> {

    /** What is measured on the logits. */
    public enum Metric {
        /** The target's logit minus the corrupted run's top other class's logit (the usual "logit difference"). */
        LOGIT_DIFF,
        /** The target's logit. */
        LOGIT,
        /** The target's softmax probability. */
        PROBABILITY
    }

    /**
     * Parameters.
     *
     * @param corrupt  how the corrupted input is made ({@link Corruption}'s syntax)
     * @param over     the sites patched one at a time at the selected hook point
     * @param layers   the hook points patched whole: {@code all}, or names separated by commas
     * @param map      the rows of the layers x sites heat map: {@code like} (the hook points like the selected one:
     *                 same role and number of sites), {@code selected}, or names separated by commas
     * @param metric   what is measured
     * @param target   the class measured: {@code clean} (the clean prediction) or a class name or index
     * @param memoryMb the memory budget of one batched pass, in MB
     */
    public record Params(@Param("the corrupted input: " + Corruption.SYNTAX) String corrupt,
            @Param("what is patched one at a time at the selected hook point: units, heads, tokens or positions") SweepAxis over,
            @Param("hook points patched whole: all, or names separated by commas") String layers,
            @Param("rows of the layers x sites heat map: like (hook points like the selected one), selected, or names separated by commas") String map,
            @Param("what is measured: logit_diff (target minus the corrupted run's top other class), logit, probability") Metric metric,
            @Param("the class measured: clean (the clean prediction) or a class name or index") String target,
            @Param(value = "memory budget of one batched pass in MB", min = 1, max = 65536) int memoryMb) implements Validating {

        /** Checks the corruption's syntax. */
        @Override
        public void validate() {
            Corruption.parse(corrupt);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("pairs", SweepAxis.UNITS, "all", "like", Metric.LOGIT_DIFF, "clean", 512);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=2", "clean and corrupted images in pairs (or clean images, with corrupt=noise:...)"));
    }

    /** One clean/corrupted pair's metric values. */
    private record Measured(double clean, double corrupt, int target, int other) {
    }

    /** The corruption, sites, layers and target against the model, before anything runs (a wrong one is a wrong argument). */
    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        Corruption.parse(p.corrupt());
        Steps steps = Steps.of(model, point, p.over());
        hookPoints(model, p.layers(), "layers");
        mapRows(model, point, p, steps);
        if (!p.target().trim().equalsIgnoreCase("clean")) {
            Targets.parse(p.target(), model.labels(), Ablation.classes(model));
        }
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        List<Corruption.Pair> pairs;
        Steps steps;
        List<HookPoint> layers;
        List<HookPoint> rows;
        Targets fixed;
        try {
            Corruption corruption = Corruption.parse(p.corrupt());
            steps = Steps.of(model, point, p.over());
            layers = hookPoints(model, p.layers(), "layers");
            rows = mapRows(model, point, p, steps);
            fixed = p.target().trim().equalsIgnoreCase("clean") ? null : Targets.parse(p.target(), model.labels(), Ablation.classes(model));
            pairs = corruption.pairs(Rows.images(ctx), ctx.seed());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        int sites = steps.count();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Patching " + pairs.size() + " pair" + (pairs.size() == 1 ? "" : "s"),
                pairs.size() * (layers.size() + rows.size() * sites));
        double[] layerSum = new double[layers.size()];
        double[][] siteSum = new double[rows.size()][sites];
        double denominator = 0;
        double cleanTotal = 0;
        double corruptTotal = 0;
        checkRestorable(ctx, model, pairs, fixed, p.metric());
        for (Corruption.Pair pair : pairs) {
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray xc = ImageTensors.toInput(m, List.of(pair.clean().image()), model.inputSpec());
                NDArray xk = ImageTensors.toInput(m, List.of(pair.corrupt().image()), model.inputSpec());
                ModelOutput clean = model.forward(xc, Hooks.cacheAll());
                ModelOutput corrupt = model.forward(xk, Hooks.cacheAll());
                float[] lc = clean.output().toFloatArray();
                float[] lk = corrupt.output().toFloatArray();
                int target = fixed == null ? Targets.argmax(lc) : fixed.of(pair.clean(), lc);
                int other = otherClass(lk, target);
                Measured measured = new Measured(metric(p.metric(), lc, target, other), metric(p.metric(), lk, target, other), target, other);
                denominator += measured.clean() - measured.corrupt();
                cleanTotal += measured.clean();
                corruptTotal += measured.corrupt();
                // every hook point patched whole: row j patches layer j
                long fullRow = new LayerPasses(model, model.hookPoints().get(0)).bytesPerRow();
                int perPass = rowsPerPass(p.memoryMb(), fullRow, layers.size());
                for (int j0 = 0; j0 < layers.size(); j0 += perPass) {
                    ctx.checkCanceled();
                    int j1 = Math.min(layers.size(), j0 + perPass);
                    try (NDManager pm = m.newSubManager()) {
                        NDArray tiled = Rows.tile(xk, j1 - j0);
                        tiled.attach(pm);
                        Hooks.Builder hooks = Hooks.builder();
                        for (int j = j0; j < j1; j++) {
                            hooks.intervene(layers.get(j).name(), Interventions.patch(clean.cache().get(layers.get(j).name()), onlyRow(j - j0)));
                        }
                        float[][] out = Rows.logits(model.forward(tiled, hooks.build()).output());
                        for (int j = j0; j < j1; j++) {
                            layerSum[j] += metric(p.metric(), out[j - j0], target, other) - measured.corrupt();
                        }
                    }
                    monitor.worked(j1 - j0);
                }
                // each site of each heat-map row patched on its own, resumed from the nearest resumable point
                for (int r = 0; r < rows.size(); r++) {
                    HookPoint h = rows.get(r);
                    Steps hs = Steps.of(model, h, p.over());
                    LayerPasses passes = new LayerPasses(model, h);
                    NDArray start = passes.start().map(s -> corrupt.cache().get(s.name())).orElse(xk);
                    NDArray source = clean.cache().get(h.name());
                    int per = rowsPerPass(p.memoryMb(), passes.bytesPerRow(), sites);
                    for (int s0 = 0; s0 < sites; s0 += per) {
                        ctx.checkCanceled();
                        int s1 = Math.min(sites, s0 + per);
                        try (NDManager pm = m.newSubManager()) {
                            NDArray tiled = Rows.tile(start, s1 - s0);
                            tiled.attach(pm);
                            int[] perRow = java.util.stream.IntStream.range(s0, s1).toArray();
                            Hooks hooks = Hooks.builder().intervene(h.name(), Interventions.patch(source, hs.perRow(perRow))).build();
                            float[][] out = Rows.logits(passes.resume(tiled, hooks));
                            for (int s = s0; s < s1; s++) {
                                siteSum[r][s] += metric(p.metric(), out[s - s0], target, other) - measured.corrupt();
                            }
                        }
                        monitor.worked(s1 - s0);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new AnalysisException(e.getMessage());
            }
        }
        return result(model, point, p, pairs, steps, layers, rows, layerSum, siteSum, denominator, cleanTotal, corruptTotal);
    }

    /**
     * Refuses pairs whose clean and corrupted inputs give the same metric, before any patching pass:
     * there would be nothing to restore and the restoration would divide by zero.
     */
    private static void checkRestorable(AnalysisContext ctx, HookedModel model, List<Corruption.Pair> pairs, Targets fixed, Metric metric)
            throws AnalysisException {
        double clean = 0;
        double corrupt = 0;
        for (Corruption.Pair pair : pairs) {
            ctx.checkCanceled();
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray x = ImageTensors.toInput(m, List.of(pair.clean().image(), pair.corrupt().image()), model.inputSpec());
                float[][] out = Rows.logits(model.forward(x, Hooks.none()).output());
                int target = fixed == null ? Targets.argmax(out[0]) : fixed.of(pair.clean(), out[0]);
                int other = otherClass(out[1], target);
                clean += metric(metric, out[0], target, other);
                corrupt += metric(metric, out[1], target, other);
            }
        }
        if (Math.abs(clean - corrupt) < 1e-6 * Math.max(1, Math.abs(clean))) {
            throw new AnalysisException(String.format(Locale.ROOT, "The clean and corrupted inputs give the same %s (%.4g and %.4g), so there is nothing to"
                    + " restore; use a stronger corruption or other pairs", metric.name().toLowerCase(Locale.ROOT), clean / pairs.size(),
                    corrupt / pairs.size()));
        }
    }

    private static int rowsPerPass(int memoryMb, long bytesPerRow, int max) {
        return (int) Math.max(1, Math.min(max, (long) memoryMb * 1024 * 1024 / bytesPerRow));
    }

    /** Every element of batch row {@code row}, nothing of the others. */
    private static Sites onlyRow(int row) {
        return (a, hp) -> {
            long[] dims = new long[a.getShape().dimension()];
            Arrays.fill(dims, 1);
            dims[0] = a.getShape().get(0);
            float[] m = new float[(int) dims[0]];
            m[row] = 1f;
            NDArray mask = a.getManager().create(m, new Shape(dims));
            if (mask.getDataType() == a.getDataType()) {
                return mask;
            }
            NDArray typed = mask.toType(a.getDataType(), false);
            mask.close();
            return typed;
        };
    }

    /** The corrupted run's top class other than {@code target}. */
    private static int otherClass(float[] logits, int target) {
        int best = -1;
        for (int i = 0; i < logits.length; i++) {
            if (i != target && (best < 0 || logits[i] > logits[best])) {
                best = i;
            }
        }
        return best < 0 ? target : best;
    }

    static double metric(Metric metric, float[] logits, int target, int other) {
        return switch (metric) {
            case LOGIT_DIFF -> logits[target] - logits[other];
            case LOGIT -> logits[target];
            case PROBABILITY -> Math.exp(-Targets.loss(logits, target));
        };
    }

    private static List<HookPoint> hookPoints(HookedModel model, String spec, String what) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("all")) {
            return model.hookPoints();
        }
        List<HookPoint> out = new ArrayList<>();
        for (String name : spec.split(",")) {
            out.add(model.hookPoint(name.trim()));
        }
        return out;
    }

    private static List<HookPoint> mapRows(HookedModel model, HookPoint point, Params p, Steps steps) {
        String spec = p.map() == null ? "like" : p.map().trim();
        List<HookPoint> rows;
        if (spec.equalsIgnoreCase("selected")) {
            rows = List.of(point);
        } else if (spec.equalsIgnoreCase("like")) {
            rows = model.hookPoints().stream().filter(h -> h.kind() == point.kind() && h.shape().equals(point.shape())
                    && (point.role() == HookRole.OTHER || h.role() == point.role())).toList();
        } else {
            rows = hookPoints(model, spec, "map");
        }
        for (HookPoint h : rows) {
            int count = Steps.of(model, h, p.over()).count();
            if (count != steps.count()) {
                throw new IllegalArgumentException("the heat-map rows need the same number of " + p.over().name().toLowerCase(Locale.ROOT) + ": "
                        + point.name() + " has " + steps.count() + " and " + h.name() + " has " + count + "; list hook points of the same size in map=");
            }
        }
        return rows;
    }

    /**
     * For positions of a conv map or the patch tokens of a ViT: the restoration of each position laid
     * out on the image grid, one picture per heat-map row, over the first clean image.
     */
    private static Optional<Result> spatial(HookedModel model, HookPoint point, Params p, List<Corruption.Pair> pairs, List<HookPoint> rows,
            double[][] siteSum, double denominator) {
        int gridRows;
        int gridCols;
        int offset;
        if (p.over() == SweepAxis.POSITIONS) {
            gridRows = (int) point.shape().get(1);
            gridCols = (int) point.shape().get(2);
            offset = 0;
        } else if (p.over() == SweepAxis.TOKENS && point.tokenLayout().isPresent()) {
            gridRows = point.tokenLayout().get().rows();
            gridCols = point.tokenLayout().get().cols();
            offset = point.tokenLayout().get().prefixTokens();
        } else {
            return Optional.empty();
        }
        int cells = gridRows * gridCols;
        float[] values = new float[rows.size() * cells];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cells; c++) {
                values[r * cells + c] = (float) (siteSum[r][offset + c] / denominator);
            }
        }
        FloatMap grid = new FloatMap(new int[] {rows.size(), gridRows, gridCols}, values);
        String names = String.join(", ", rows.stream().map(HookPoint::name).toList());
        return Optional.of(new HeatMapResult("Restoration per " + (p.over() == SweepAxis.POSITIONS ? "position" : "patch token") + " on the image, one picture per hook point",
                grid, ImageTensors.fit(pairs.get(0).clean().image(), model.inputSpec().width(), model.inputSpec().height()),
                OverlayStyle.auto(grid, Colormap.DIVERGING, 0.7), "pictures in order: " + names + (offset > 0 ? "; prefix tokens (class token) in the table" : "")));
    }

    private static Result result(HookedModel model, HookPoint point, Params p, List<Corruption.Pair> pairs, Steps steps, List<HookPoint> layers,
            List<HookPoint> rows, double[] layerSum, double[][] siteSum, double denominator, double cleanTotal, double corruptTotal) {
        int n = pairs.size();
        double[] x = new double[layers.size()];
        double[] y = new double[layers.size()];
        List<String> names = new ArrayList<>();
        List<List<Object>> layerRows = new ArrayList<>();
        for (int j = 0; j < layers.size(); j++) {
            x[j] = j;
            y[j] = layerSum[j] / denominator;
            names.add(layers.get(j).name());
            layerRows.add(List.of(layers.get(j).name(), layers.get(j).describe(), y[j]));
        }
        int sites = steps.count();
        float[] map = new float[rows.size() * sites];
        for (int r = 0; r < rows.size(); r++) {
            for (int s = 0; s < sites; s++) {
                map[r * sites + s] = (float) (siteSum[r][s] / denominator);
            }
        }
        int selected = rows.indexOf(point);
        List<List<Object>> siteRows = new ArrayList<>();
        if (selected >= 0) {
            Integer[] order = new Integer[sites];
            for (int s = 0; s < sites; s++) {
                order[s] = s;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer s) -> -siteSum[selected][s]).thenComparingInt(s -> s));
            for (int r = 0; r < sites; r++) {
                siteRows.add(List.of((long) (r + 1), steps.cell(order[r]), (long) (int) order[r], siteSum[selected][order[r]] / denominator));
            }
        }
        FloatMap heat = FloatMap.of(rows.size(), sites, map);
        String rowNames = String.join(", ", rows.stream().map(HookPoint::name).toList());
        String what = p.over().name().toLowerCase(Locale.ROOT);
        int best = 0;
        for (int j = 1; j < layers.size(); j++) {
            if (y[j] > y[best]) {
                best = j;
            }
        }
        String summary = String.format(Locale.ROOT,
                "%d clean/corrupted pair%s (%s); %s: clean %.4g, corrupted %.4g (means). Patching a whole hook point restores most at %s (%.3f)."
                        + " 0 = corrupted, 1 = clean.",
                n, n == 1 ? "" : "s", Corruption.parse(p.corrupt()).describe(), p.metric().name().toLowerCase(Locale.ROOT), cleanTotal / n, corruptTotal / n,
                layers.get(best).name(), y[best]);
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", summary));
        parts.add(new ChartResult("Restoration by patching each hook point whole", ChartKind.BAR, "hook point", "restoration (0 corrupted, 1 clean)",
                List.of(new Series("restoration", x, y)), names));
        parts.add(new HeatMapResult("Restoration per " + what + ": hook points (rows: " + rowNames + ") x " + what, heat, null,
                OverlayStyle.auto(heat, Colormap.DIVERGING, 1), "rows: " + rowNames));
        spatial(model, point, p, pairs, rows, siteSum, denominator).ifPresent(parts::add);
        if (!siteRows.isEmpty()) {
            parts.add(new TableResult("Restoration per " + what + " at " + point.name(), List.of("rank", what, "index", "restoration"), siteRows));
        }
        parts.add(new TableResult("Restoration per hook point", List.of("hook point", "kind", "restoration"), layerRows));
        return new CompositeResult("Activation patching at " + point.name(), parts);
    }
}

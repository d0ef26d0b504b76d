package org.loupe.analysis.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.causal.internal.LayerPasses;
import org.loupe.analysis.causal.internal.References;
import org.loupe.analysis.causal.internal.Rows;
import org.loupe.analysis.causal.internal.SiteSpec;
import org.loupe.analysis.causal.internal.Steps;
import org.loupe.analysis.causal.internal.Targets;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
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

/**
 * Ablates each unit of the selected hook point in turn (or each head, token or spatial position)
 * over an image set and ranks them by the effect on the target class's logit. The network runs up
 * to the hook point (its nearest resumable point) once per image batch; that activation is kept
 * and the rest of the network resumes from it with many ablations in one batched pass, row
 * {@code u * B + b} ablating step {@code u} on image {@code b}. The rows per pass follow from a
 * memory budget.
 *
 * @since 0.1
 */
public class AblationSweep implements Analysis<AblationSweep.Params> {

    /** Bars shown at most in the chart (the table lists every step). */
    static final int MAX_BARS = 32;

    /**
     * Parameters.
     *
     * @param over        what is stepped through
     * @param steps       which steps ({@code all}, or indices such as {@code 0-15,20})
     * @param replacement what replaces the ablated step
     * @param target      the class whose logit and loss are measured
     * @param batchSize   images per prefix pass
     * @param memoryMb    the memory budget of one resumed pass, in MB: fixes how many ablations run per pass
     */
    public record Params(@Param("what is ablated in turn: units (channels, features), heads, tokens, or positions (conv)") SweepAxis over,
            @Param("which of them: all, or indices such as 0-15,20") String steps,
            @Param("what replaces the ablated unit: zero, mean (over the images) or resample (another image's values, seeded)") Replacement replacement,
            @Param("the class measured: " + Targets.SYNTAX) String target,
            @Param(value = "images per prefix pass", min = 1, max = 4096) int batchSize,
            @Param(value = "memory budget of one resumed pass in MB (sets the ablations per pass)", min = 1, max = 65536) int memoryMb)
            implements Validating {

        /** Checks the steps' syntax (their range is checked against the hook point when the run starts). */
        @Override
        public void validate() {
            if (steps != null && !steps.isBlank() && !steps.trim().equalsIgnoreCase("all")) {
                try {
                    SiteSpec.indices(steps, steps);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cannot read the steps '" + steps + "'; write all, or indices such as 0-15,20");
                }
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(SweepAxis.UNITS, "all", Replacement.ZERO, "label", 32, 512);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=64", "the images the effects are averaged over (labelled images give accuracy)"));
    }

    /** The steps and the target against the model, before anything runs (a wrong one is a wrong argument). */
    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        chosen(p.steps(), Steps.of(model, point, p.over()));
        Targets.parse(p.target(), model.labels(), Ablation.classes(model));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        Steps steps;
        Targets targets;
        int[] chosen;
        try {
            steps = Steps.of(model, point, p.over());
            targets = Targets.parse(p.target(), model.labels(), Ablation.classes(model));
            chosen = chosen(p.steps(), steps);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        List<SourceImage> images = Rows.images(ctx);
        int n = images.size();
        LayerPasses passes = new LayerPasses(model, point);
        long rows = Math.max(1, (long) p.memoryMb() * 1024 * 1024 / passes.bytesPerRow());
        int batch = (int) Math.min(Math.min(p.batchSize(), n), rows);
        int perPass = (int) Math.max(1, Math.min(chosen.length, rows / batch));
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Ablation sweep over " + chosen.length + " " + p.over().name().toLowerCase(Locale.ROOT)
                + " of " + point.name(), n * (chosen.length + 1));
        References refs = References.of(p.replacement(), passes, images, batch, ctx);
        Tally tally = new Tally(chosen.length, Ablation.classes(model));
        long lastPublished = 0;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int b = to - from;
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray prefix = passes.prefix(Rows.input(m, images, from, to, model.inputSpec()));
                float[][] clean = Rows.logits(passes.resume(prefix, Hooks.none()));
                int[] target = new int[b];
                for (int i = 0; i < b; i++) {
                    target[i] = targets.of(images.get(from + i), clean[i]);
                }
                monitor.worked(b);
                for (int s0 = 0; s0 < chosen.length; s0 += perPass) {
                    ctx.checkCanceled();
                    int s1 = Math.min(chosen.length, s0 + perPass);
                    int u = s1 - s0;
                    try (NDManager pm = m.newSubManager()) {
                        int[] perRow = new int[u * b];
                        for (int r = 0; r < perRow.length; r++) {
                            perRow[r] = chosen[s0 + r / b];
                        }
                        NDArray tiled = u == 1 ? prefix.duplicate() : Rows.tile(prefix, u); // the pass's arrays then live in pm
                        tiled.attach(pm);
                        NDArray reference = refs.forRows(pm, from, to, u);
                        Hooks ablate = Hooks.builder().intervene(point.name(), refs.intervention(steps.perRow(perRow), reference)).build();
                        float[][] ablated = Rows.logits(passes.resume(tiled, ablate));
                        for (int r = 0; r < perRow.length; r++) {
                            int i = r % b;
                            tally.add(s0 + r / b, images.get(from + i), targets.labelIndex(images.get(from + i)), target[i], clean[i], ablated[r]);
                        }
                    }
                    monitor.worked(u * b);
                }
            }
            if (System.currentTimeMillis() - lastPublished > 500 && to < n) {
                ctx.publish(chart(tally, steps, chosen, String.format(Locale.ROOT, " (%d of %d images so far)", to, n)));
                lastPublished = System.currentTimeMillis();
            }
        }
        return result(model, point, p, steps, chosen, targets, tally, passes, perPass * batch);
    }

    private static int[] chosen(String spec, Steps steps) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("all")) {
            return IntStream.range(0, steps.count()).toArray();
        }
        int[] c = SiteSpec.indices(spec, spec);
        for (int i : c) {
            if (i < 0 || i >= steps.count()) {
                throw new IllegalArgumentException("step " + i + " is out of range: there are " + steps.count() + " "
                        + steps.axis().name().toLowerCase(Locale.ROOT) + " (0.." + (steps.count() - 1) + ")");
            }
        }
        return Arrays.stream(c).distinct().toArray();
    }

    /** The sums over images, per step (and per step and class). */
    static final class Tally {
        final double[] drop;
        final double[] lossIncrease;
        final int[] changed;
        final int[] correct;
        final double[][] classDrop;
        final int[][] classCount;
        final int[] images;
        int labelled;
        int cleanCorrect;

        Tally(int steps, int classes) {
            drop = new double[steps];
            lossIncrease = new double[steps];
            changed = new int[steps];
            correct = new int[steps];
            classDrop = new double[steps][classes];
            classCount = new int[steps][classes];
            images = new int[steps];
        }

        void add(int step, SourceImage image, int label, int target, float[] clean, float[] ablated) {
            double d = clean[target] - ablated[target];
            drop[step] += d;
            lossIncrease[step] += Targets.loss(ablated, target) - Targets.loss(clean, target);
            int pc = Targets.argmax(clean);
            int pa = Targets.argmax(ablated);
            changed[step] += pc != pa ? 1 : 0;
            if (label >= 0) {
                correct[step] += pa == label ? 1 : 0;
            }
            classDrop[step][target] += d;
            classCount[step][target]++;
            images[step]++;
            if (step == 0 && label >= 0) {
                labelled++;
                cleanCorrect += pc == label ? 1 : 0;
            }
        }

        double effect(int step) {
            return images[step] == 0 ? 0 : drop[step] / images[step];
        }
    }

    private static ChartResult chart(Tally tally, Steps steps, int[] chosen, String note) {
        Integer[] order = ranking(tally, chosen.length);
        int shown = Math.min(MAX_BARS, order.length);
        double[] x = new double[shown];
        double[] y = new double[shown];
        List<String> names = new ArrayList<>();
        for (int r = 0; r < shown; r++) {
            x[r] = r;
            y[r] = tally.effect(order[r]);
            names.add(steps.label(chosen[order[r]]));
        }
        return new ChartResult("Effect of ablating each " + noun(steps) + " on the target logit" + note
                + (shown < order.length ? ", top " + shown + " of " + order.length : ""), ChartKind.BAR, noun(steps), "target logit drop (clean - ablated)",
                List.of(new Series("mean drop", x, y)), names);
    }

    private static Integer[] ranking(Tally tally, int count) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -tally.effect(i)).thenComparingInt(i -> i));
        return order;
    }

    private static String noun(Steps steps) {
        return switch (steps.axis()) {
            case UNITS -> "unit";
            case HEADS -> "head";
            case TOKENS -> "token";
            case POSITIONS -> "position";
        };
    }

    private static Result result(HookedModel model, HookPoint point, Params p, Steps steps, int[] chosen, Targets targets, Tally tally,
            LayerPasses passes, int rowsPerPass) {
        Integer[] order = ranking(tally, chosen.length);
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < order.length; r++) {
            int s = order[r];
            int n = tally.images[s];
            List<Object> row = new ArrayList<>(List.of((long) (r + 1), steps.cell(chosen[s]), (long) chosen[s], tally.effect(s),
                    tally.lossIncrease[s] / n, (double) tally.changed[s] / n));
            row.add(tally.labelled == 0 ? "" : (Object) ((double) tally.correct[s] / tally.labelled));
            rows.add(row);
        }
        // per-class effects: the classes some image is measured on
        int classes = tally.classDrop.length == 0 ? 0 : tally.classDrop[0].length;
        List<Integer> present = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            if (tally.classCount.length > 0 && tally.classCount[0][k] > 0) {
                present.add(k);
            }
        }
        float[] map = new float[chosen.length * present.size()];
        for (int s = 0; s < chosen.length; s++) {
            for (int c = 0; c < present.size(); c++) {
                int k = present.get(c);
                map[s * present.size() + c] = (float) (tally.classDrop[s][k] / tally.classCount[s][k]);
            }
        }
        FloatMap perClass = FloatMap.of(chosen.length, present.size(), map);
        String classNames = String.join(", ", present.stream().map(targets::name).toList());
        int n = tally.images.length == 0 ? 0 : tally.images[0];
        int best = order[0];
        String summary = String.format(Locale.ROOT,
                "%d %s of %s ablated in turn (%s) over %d images; target: %s. Largest effect: %s, target logit drop %.4g (loss +%.4g, %.0f%% of predictions changed).%s"
                        + " Ran up to %s once per image batch, then %d ablated rows per resumed pass.",
                chosen.length, noun(steps) + (chosen.length == 1 ? "" : "s"), point.name(), p.replacement().name().toLowerCase(Locale.ROOT), n,
                targets.describe(), steps.label(chosen[best]), tally.effect(best), tally.lossIncrease[best] / n, 100.0 * tally.changed[best] / n,
                tally.labelled == 0 ? "" : String.format(Locale.ROOT, " Clean accuracy %.1f%% over %d labelled images.", 100.0 * tally.cleanCorrect / tally.labelled, tally.labelled),
                passes.start().map(HookPoint::name).orElse("the input"), rowsPerPass);
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", summary));
        parts.add(chart(tally, steps, chosen, ""));
        parts.add(new TableResult("Ranked by effect on the target logit", List.of("rank", noun(steps), "index", "target logit drop", "loss increase",
                "predictions changed", "ablated accuracy"), rows));
        parts.add(new HeatMapResult("Per-class effect: " + noun(steps) + "s (rows, in index order) x classes (" + classNames + ")", perClass, null,
                OverlayStyle.auto(perClass, Colormap.DIVERGING, 1), "mean drop of each class's logit over the images measured on that class; columns: " + classNames));
        return new CompositeResult("Ablation sweep of " + point.name(), parts);
    }
}

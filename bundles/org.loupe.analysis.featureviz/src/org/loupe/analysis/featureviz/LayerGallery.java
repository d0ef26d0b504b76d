package org.loupe.analysis.featureviz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.featureviz.Recipe.Parameterization;
import org.loupe.analysis.featureviz.Recipe.TransformSet;
import org.loupe.analysis.featureviz.internal.StepClock;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;

/**
 * A feature visualisation of every unit of a layer (or of a chosen set), batched: one optimisation
 * over a batch in which row {@code i} maximises unit {@code u_i}, so a gallery of a layer costs a
 * fraction of visualising its units one by one. The forward pass stops after the layer. The
 * gallery fills in batch by batch (partial results) and links each picture to its unit.
 *
 * @since 0.1
 */
public class LayerGallery implements Analysis<LayerGallery.Params> {

    /**
     * Parameters.
     *
     * @param units        which units, e.g. {@code 0-15} or {@code 1,4,9}; empty for all
     * @param param        the parameterisation
     * @param decorrelate  whether to decorrelate colour
     * @param transforms   the transforms each step
     * @param steps        optimisation steps
     * @param size         image side, 0 for the model's input side up to 128
     * @param batch        units optimised together
     * @param learningRate Adam's learning rate
     */
    public record Params(@Param("which units: e.g. 0-15 or 1,4,9; empty: every unit of the layer") String units,
            @Param("image parameterisation: fft (Lucent), pixel or silhouette") Parameterization param,
            @Param("decorrelate colour (Lucent's ImageNet colour correlation)") boolean decorrelate,
            @Param("transforms each step: auto (lucent), lucent, none") TransformSet transforms,
            @Param(value = "optimisation steps", min = 1, max = 10000) int steps,
            @Param(value = "image side in pixels; 0: the model's input side, at most 128", min = 0, max = Recipe.MAX_SIZE) int size,
            @Param(value = "units optimised together in one batch", min = 1, max = 256) int batch,
            @Param(value = "Adam's learning rate", min = 1e-6, max = 100) double learningRate) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("", Parameterization.FFT, true, TransformSet.AUTO, 512, 0, 16, Adam.LUCENT_LR);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        if (p.param() == Parameterization.MACO || p.transforms() == TransformSet.CROPS) {
            throw new AnalysisException("The layer gallery optimises one unit per batch row, which MaCo's crops would mix: use param=fft or "
                    + "param=pixel with transforms lucent or none (or visualize single units with featureviz param=maco).");
        }
        List<Integer> units;
        int size;
        try {
            units = units(p.units(), point);
            size = Recipe.side(p.size(), model.inputSpec());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        Random random = new Random(ctx.seed());
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Gallery of " + point.name(), units.size() * p.steps());
        List<GalleryItem> items = new ArrayList<>();
        String title = "Feature visualizations of " + point.name();
        int columns = Math.min(8, units.size());
        StepClock clock = null;
        for (int from = 0; from < units.size(); from += p.batch()) {
            List<Integer> chunk = units.subList(from, Math.min(units.size(), from + p.batch()));
            List<Objective> rows = new ArrayList<>();
            Objective sum = null;
            for (int b = 0; b < chunk.size(); b++) {
                Objective o = Objectives.channel(point, chunk.get(b), b);
                rows.add(o);
                sum = sum == null ? o : sum.plus(o);
            }
            Recipe recipe = new Recipe(p.param(), p.decorrelate(), p.transforms(), size, chunk.size(), 1);
            Visualizer vis = new Visualizer(model, sum, recipe.transform()).tracking(rows);
            int done = from;
            Visualizer.Outcome out;
            StepClock batchClock = new StepClock(p.steps());
            clock = clock == null ? batchClock : clock;
            try (var m = ctx.manager().newSubManager()) {
                ImageParam param = recipe.build(m, model.inputSpec().channels(), random, null, null);
                try {
                    out = vis.run(param, new Visualizer.Settings(p.steps(), p.learningRate(), 0), random, false, (step, value) -> {
                    batchClock.stepEnded();
                    monitor.setTaskName(String.format(Locale.ROOT, "Gallery of %s: units %d-%d of %d, step %d of %d", point.name(), done,
                            done + chunk.size() - 1, units.size(), step, p.steps()));
                    monitor.worked(chunk.size());
                    }, ctx::checkCanceled);
                } catch (IllegalStateException e) {
                    throw new AnalysisException("units " + chunk.get(0) + "-" + chunk.get(chunk.size() - 1) + ": " + e.getMessage(), e);
                }
                double[] values = vis.evaluate(m, out.pixels(), param.shape(), rows);
                for (int b = 0; b < chunk.size(); b++) {
                    UnitRef unit = new UnitRef(model.info().id(), point.name(), chunk.get(b));
                    items.add(new GalleryItem(out.images().get(b), "", values[b], unit,
                            detail(unit, out.images().get(b), values[b], out.tracked()[b], how(p, size, ctx.seed()))));
                }
            }
            ctx.publish(new GalleryResult(title, items, columns, "activation"));
        }
        String summary = String.format(Locale.ROOT, "%d units of %s on %s, %d per batch, %s; first batch: %s.", units.size(), point.name(),
                model.info().name(), p.batch(), how(p, size, ctx.seed()), clock.describe());
        return new CompositeResult(title, List.of(new TextResult("Summary", summary), new GalleryResult(title, items, columns, "activation")));
    }

    /** How every unit was optimised: steps, optimiser, image and transforms, seed. */
    private static String how(Params p, int size, long seed) {
        return String.format(Locale.ROOT, "%d steps each (Adam %s, %s image %dx%d%s, transforms %s); seed %d", p.steps(),
                Objective.number(p.learningRate()), p.param().name().toLowerCase(Locale.ROOT), size, size,
                p.decorrelate() && p.param() != Parameterization.SILHOUETTE ? ", decorrelated colour" : "",
                p.transforms().name().toLowerCase(Locale.ROOT), seed);
    }

    /** What a click on a unit's picture shows: the picture, its objective by step, and how it was made. */
    private static Result detail(UnitRef unit, RasterImage image, double value, double[] curve, String how) {
        String title = "Feature visualization of " + unit.label();
        String text = String.format(Locale.ROOT, "%s: channel mean %.4g at the first step, %.4g at the last; %.4g on the final image "
                + "without transforms. Optimised in a batch with other units of the layer, one unit per row: %s.", unit.link(), curve[0],
                curve[curve.length - 1], value, how);
        return new CompositeResult(title, List.of(new ImageResult("After " + curve.length + " steps", image, ""),
                FeatureVisualization.curve(unit.label(), curve), new TextResult("Parameters", text)));
    }

    /** Parses a unit list ({@code 0-15}, {@code 1,4,9}, a mix, or empty for all) against {@code point}. */
    static List<Integer> units(String spec, HookPoint point) {
        long n = point.units();
        List<Integer> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            for (int i = 0; i < n; i++) {
                out.add(i);
            }
            return out;
        }
        for (String part : spec.split(",")) {
            String t = part.trim();
            try {
                int dash = t.indexOf('-', 1);
                int a = Integer.parseInt((dash < 0 ? t : t.substring(0, dash)).trim());
                int b = dash < 0 ? a : Integer.parseInt(t.substring(dash + 1).trim());
                if (a < 0 || b >= n || a > b) {
                    throw new IllegalArgumentException("units '" + t + "' are out of range: " + point.name() + " has " + n + " units (0.." + (n - 1) + ")");
                }
                for (int i = a; i <= b; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("units '" + spec + "' are not a list such as 0-15 or 1,4,9", e);
            }
        }
        return out;
    }
}

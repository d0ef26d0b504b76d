package org.loupe.analysis.featureviz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.featureviz.Recipe.Parameterization;
import org.loupe.analysis.featureviz.Recipe.TransformSet;
import org.loupe.analysis.featureviz.internal.StepClock;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.ImageResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TextResult;

/**
 * Feature visualisation of a unit or of any objective (Lucent's {@code render_vis}, and MaCo):
 * optimises an image so that the objective is as large as possible, and returns the image(s),
 * the objective's curve over the steps and, for MaCo, the transparency map. Lucent's defaults:
 * FFT image with decorrelated colour, standard transforms, Adam 0.05, 512 steps.
 *
 * @since 0.1
 */
public class FeatureVisualization implements Analysis<FeatureVisualization.Params> {

    /** Where the image starts. */
    public enum Init {
        /** Lucent's small random values. */
        NOISE,
        /** The given images (feature accentuation). */
        IMAGE
    }

    /** MaCo's fixed magnitude spectrum. */
    public enum Magnitude {
        /** The 1/f falloff of natural images. */
        NATURAL,
        /** The mean spectrum of the given images. */
        IMAGES
    }

    /**
     * Parameters.
     *
     * @param objective    what to maximise; empty for the selected unit
     * @param param        the parameterisation
     * @param decorrelate  whether to decorrelate colour
     * @param transforms   the transforms each step
     * @param steps        optimisation steps
     * @param size         image side, 0 for the model's input side up to 128
     * @param batch        images optimised together
     * @param learningRate Adam's learning rate
     * @param init         where the image starts
     * @param magnitude    MaCo's magnitude spectrum
     * @param crops        MaCo's random crops per step
     * @param previewEvery a preview every this many steps
     */
    public record Params(
            @Param("what to maximise, e.g. \"relu3:5 - 0.5*relu3:7\", neuron(relu3, 5), logit(star), 100*diversity(relu3); empty: the selected unit") String objective,
            @Param("image parameterisation: fft (Lucent), pixel, maco (phase only, for deep models) or silhouette (one object's outline)") Parameterization param,
            @Param("decorrelate colour (Lucent's ImageNet colour correlation)") boolean decorrelate,
            @Param("transforms each step: auto (lucent; crops for maco, none for silhouette), lucent, crops, none") TransformSet transforms,
            @Param(value = "optimisation steps", min = 1, max = 10000) int steps,
            @Param(value = "image side in pixels; 0: the model's input side, at most 128", min = 0, max = Recipe.MAX_SIZE) int size,
            @Param(value = "images optimised together (add diversity(layer) to make them differ)", min = 1, max = 64) int batch,
            @Param(value = "Adam's learning rate", min = 1e-6, max = 100) double learningRate,
            @Param("start from noise, or from the given images (feature accentuation)") Init init,
            @Param("MaCo's magnitude: natural (1/f) or the mean spectrum of the given images") Magnitude magnitude,
            @Param(value = "MaCo's random crops per step", min = 1, max = 128) int crops,
            @Param(value = "a preview image every this many steps (0: none)", min = 0, max = 10000) int previewEvery) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("", Parameterization.FFT, true, TransformSet.AUTO, 512, 0, 1, Adam.LUCENT_LR, Init.NOISE, Magnitude.NATURAL, 16, 32);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=8",
                "read only with init=image (the images to start from) or magnitude=images (MaCo's spectrum)"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        Objective objective = objective(ctx, p.objective());
        InputSpec spec = model.inputSpec();
        Recipe recipe;
        try {
            recipe = new Recipe(p.param(), p.decorrelate(), p.transforms(), Recipe.side(p.size(), spec), p.batch(), p.crops());
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        List<RasterImage> start = p.init() == Init.IMAGE ? images(ctx) : null;
        float[] magnitude = p.param() == Parameterization.MACO && p.magnitude() == Magnitude.IMAGES
                ? MacoImage.meanMagnitude(images(ctx), spec.channels(), recipe.size(), recipe.size()) : null;
        Random random = new Random(ctx.seed());
        Visualizer vis;
        ImageParam param;
        try {
            vis = new Visualizer(model, objective, recipe.transform());
            param = recipe.build(ctx.manager(), spec.channels(), random, start, magnitude);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Visualizing " + objective.describe(), p.steps());
        Visualizer.Outcome out;
        StepClock clock = new StepClock(p.steps());
        try {
            out = optimise(ctx, p, objective, vis, param, random, monitor, clock);
        } catch (IllegalStateException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        double[] v = out.values();
        String summary = String.format(Locale.ROOT,
                "Maximised %s on %s: %.4g at the first step, %.4g at the last (%d steps, Adam %s). %s; the forward pass stops after %s; seed %d; %s.",
                objective.describe(), model.info().name(), v[0], v[v.length - 1], v.length, Objective.number(p.learningRate()), recipe.describe(),
                vis.stopAfter(), ctx.seed(), clock.describe());
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", summary));
        parts.add(pictures("Feature visualization of " + objective.describe(), out.images()));
        parts.add(curve(objective.describe(), v));
        if (out.transparency() != null) {
            parts.add(transparency(out, recipe));
        }
        return new CompositeResult("Feature visualization of " + objective.describe(), parts);
    }

    private static Visualizer.Outcome optimise(AnalysisContext ctx, Params p, Objective objective, Visualizer vis, ImageParam param, Random random,
            SubMonitor monitor, StepClock clock) {
        return vis.run(param, new Visualizer.Settings(p.steps(), p.learningRate(), p.previewEvery()), random,
                p.param() == Parameterization.MACO, new Visualizer.Listener() {
                    private double last = Double.NaN;

                    @Override
                    public void step(int step, double value) {
                        clock.stepEnded();
                        last = value;
                        monitor.setTaskName(String.format(Locale.ROOT, "Visualizing %s: step %d of %d, objective %.4g", objective.describe(), step,
                                p.steps(), value));
                        monitor.worked(1);
                    }

                    @Override
                    public void preview(int step, List<RasterImage> images) {
                        ctx.publish(pictures(String.format(Locale.ROOT, "Step %d of %d, objective %.4g", step, p.steps(), last), images));
                    }
                }, ctx::checkCanceled);
    }

    /** The objective the run maximises: the parameter, or the selected unit's channel. */
    static Objective objective(AnalysisContext ctx, String text) throws AnalysisException {
        String t = text == null ? "" : text.trim();
        try {
            if (t.isEmpty()) {
                if (ctx.selection().hookPoint() == null) {
                    throw new AnalysisException("Give an objective (--param objective=relu3:5) or a unit to visualize (--layer NAME --unit N).");
                }
                if (ctx.selection().unit() == null) {
                    throw new AnalysisException("Give the unit of " + ctx.selection().hookPoint() + " to visualize (--unit N, 0.."
                            + (ctx.hookPoint().units() - 1) + "), or an objective (--param objective=...).");
                }
                return Objectives.channel(ctx.hookPoint(), ctx.unit(), -1);
            }
            return new ObjectiveParser(ctx.model()).parse(t);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
    }

    private static List<RasterImage> images(AnalysisContext ctx) throws AnalysisException {
        List<RasterImage> list = new ArrayList<>();
        try (ImageSource s = ctx.images()) {
            for (SourceImage img : s) {
                list.add(img.image());
            }
        } catch (AnalysisException e) {
            throw e;
        } catch (Exception e) {
            throw new AnalysisException("The images could not be read: " + e.getMessage(), e);
        }
        if (list.isEmpty()) {
            throw new AnalysisException("The images given hold no picture; give an image file, a folder or a source such as loupe-shapes:count=8.");
        }
        return list;
    }

    static Result pictures(String title, List<RasterImage> images) {
        if (images.size() == 1) {
            return new ImageResult(title, images.get(0), "");
        }
        return new ImageGridResult(title, images, IntStream.range(0, images.size()).mapToObj(i -> "batch " + i).toList(),
                Math.min(8, images.size()));
    }

    static ChartResult curve(String objective, double[] values) {
        double[] x = IntStream.rangeClosed(1, values.length).asDoubleStream().toArray();
        return new ChartResult("Objective by step", ChartKind.LINE, "step", "objective", List.of(new Series(objective, x, values)));
    }

    private static Result transparency(Visualizer.Outcome out, Recipe recipe) {
        int s = recipe.size();
        int plane = s * s;
        int channels = out.transparency().length / (recipe.batch() * plane);
        float[] map = new float[plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                map[i] += out.transparency()[c * plane + i];
            }
        }
        FloatMap m = FloatMap.of(s, s, map);
        return new HeatMapResult("Transparency (accumulated |d objective / d image|)", m, out.images().get(0),
                OverlayStyle.auto(m, Colormap.INFERNO, 0.6), "where the image mattered to the objective, summed over the steps");
    }
}

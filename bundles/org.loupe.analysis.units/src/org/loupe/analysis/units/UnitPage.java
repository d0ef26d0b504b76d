package org.loupe.analysis.units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Selection;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.registry.LoupeRegistry;
import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.Series;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;
import org.loupe.core.run.AnalysisRequest;
import org.loupe.core.run.AnalysisRunner;
import org.loupe.core.store.Locations;
import org.loupe.core.store.RunStore;

/**
 * A unit's page, as in OpenAI Microscope but for any loaded model: its feature visualization with
 * diversity facets, its top and bottom dataset examples, its tuning curve over edge orientation
 * (line and polar), its strongest input connections, the effect of ablating it on each class, and
 * its automatic label. Each section is the result of the analysis that computes it, run by id
 * through the registry (so the page uses exactly what {@code loupe run featureviz}, {@code
 * dataset-examples}, {@code tuning-curve}, {@code weights}, {@code ablation-sweep} and {@code
 * dissect} compute); a section whose analysis is not installed or does not apply says why, and the
 * others are still shown.
 *
 * @since 0.1
 */
public class UnitPage implements Analysis<UnitPage.Params> {

    /**
     * Parameters.
     *
     * @param steps     optimisation steps of the feature visualization
     * @param facets    feature visualizations optimised together, pushed apart by diversity (1: one image)
     * @param diversity weight of Lucent's diversity term when there are several facets
     * @param k         dataset examples kept per side
     * @param sections  which sections, joined by + (all by default)
     */
    public record Params(@Param(value = "feature visualization steps", min = 1, max = 10000) int steps,
            @Param(value = "feature visualizations pushed apart by diversity (1: a single image)", min = 1, max = 16) int facets,
            @Param(value = "weight of Lucent's diversity term with several facets", min = 0, max = 10000) double diversity,
            @Param(value = "dataset examples kept on each side (top, bottom)", min = 1, max = 100) int k,
            @Param("sections, joined by +: featureviz, examples, tuning, weights, ablation, label (all: every one)") String sections) {
    }

    /** The sections, in page order. */
    static final List<String> SECTIONS = List.of("featureviz", "examples", "tuning", "weights", "ablation", "label");

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(256, 4, 100, 8, "all");
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=256",
                "the images of the dataset examples, the ablation and the label (Loupe Shapes carries the concept masks)"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        int unit = ctx.unit();
        List<String> chosen = sections(p.sections());
        String images = ctx.selection().images() == null || ctx.selection().images().isBlank() ? imageInput().orElseThrow().defaultSpec()
                : ctx.selection().images();
        UnitRef ref = new UnitRef(model.info().id(), point.name(), unit);
        Sub sub = new Sub(ctx, chosen.size());
        Map<String, Result> parts = new LinkedHashMap<>();
        String label = "";
        for (String s : chosen) {
            ctx.checkCanceled();
            switch (s) {
                case "featureviz" -> parts.put(s, featureviz(sub, point, unit, p));
                case "examples" -> parts.put(s, sub.section("Dataset examples", "org.loupe.analysis.datasetExamples",
                        new Selection(point.name(), unit, images), Map.of("k", Integer.toString(p.k()), "units", Integer.toString(unit)),
                        r -> examples(r, point.name() + ":" + unit)));
                case "tuning" -> parts.put(s, sub.section("Tuning curve over edge orientation", "org.loupe.analysis.tuningCurve",
                        new Selection(point.name(), unit, "sweep:stimulus=edges,parameter=orientation,from=0,to=360,steps=24,size="
                                + model.inputSpec().width()), Map.of("response", "max"), UnitPage::tuning));
                case "weights" -> parts.put(s, sub.section("Strongest input connections", "org.loupe.analysis.weights",
                        new Selection(point.name(), unit, null), Map.of("top", "8"), r -> r));
                case "ablation" -> parts.put(s, sub.section("Effect of ablating it on each class", "org.loupe.analysis.ablationSweep",
                        new Selection(point.name(), null, images), Map.of("over", "units", "steps", Integer.toString(unit), "target", "label"),
                        UnitPage::ablation));
                case "label" -> {
                    Result r = sub.section("Automatic label", "org.loupe.analysis.dissect", new Selection(point.name(), null, images), Map.of(),
                            d -> label(d, unit));
                    label = r instanceof CompositeResult c && c.parts().get(0) instanceof TextResult t ? t.text() : "";
                    parts.put(s, r);
                }
                default -> throw new IllegalStateException(s);
            }
        }
        List<Result> page = new ArrayList<>();
        page.add(new TextResult("Unit", String.format(Locale.ROOT, "%s of %s (%s, %d units). %s", ref.label(), model.info().name(),
                point.kind().name().toLowerCase(Locale.ROOT), point.units(), label).trim()));
        page.add(new TableResult("Neighbours", List.of("previous", "this", "next"), List.of(List.of(
                unit > 0 ? new UnitRef(ref.model(), ref.hookPoint(), unit - 1) : "",
                ref, unit + 1 < point.units() ? new UnitRef(ref.model(), ref.hookPoint(), unit + 1) : ""))));
        page.addAll(parts.values());
        return new CompositeResult("Unit page of " + ref.label(), page);
    }

    /** The chosen sections, in page order; throws naming the valid ones. */
    static List<String> sections(String spec) throws AnalysisException {
        if (spec == null || spec.isBlank() || spec.trim().equals("all")) {
            return SECTIONS;
        }
        List<String> wanted = new ArrayList<>();
        for (String s : spec.split("\\+")) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (!SECTIONS.contains(t)) {
                throw new AnalysisException("There is no section '" + s.trim() + "'; sections: " + String.join(", ", SECTIONS) + " (or all).");
            }
            wanted.add(t);
        }
        return SECTIONS.stream().filter(wanted::contains).toList();
    }

    private static Result featureviz(Sub sub, HookPoint point, int unit, Params p) {
        String objective = point.name() + ":" + unit + (p.facets() > 1 && p.diversity() > 0
                ? " + " + Double.toString(p.diversity()) + "*diversity(" + point.name() + ")" : "");
        return sub.section("Feature visualization", "org.loupe.analysis.featureviz", new Selection(point.name(), unit, null),
                Map.of("objective", objective, "steps", Integer.toString(p.steps()), "batch", Integer.toString(p.facets())),
                r -> keep(r, ImageGridResult.class, org.loupe.core.result.ImageResult.class, ChartResult.class, TextResult.class));
    }

    /** The unit's crops, split into the top and the bottom examples, with the scan's summary. */
    private static Result examples(Result r, String name) {
        List<Result> out = new ArrayList<>();
        for (Result part : ((CompositeResult) r).parts()) {
            if (part instanceof TextResult t) {
                out.add(t);
            } else if (part instanceof ImageGridResult g && g.title().startsWith(name + " ")) {
                int half = g.images().size() / 2;
                out.add(new ImageGridResult("Top examples", g.images().subList(0, half), g.captions().subList(0, half), Math.min(8, half)));
                out.add(new ImageGridResult("Bottom examples", g.images().subList(half, g.images().size()),
                        g.captions().subList(half, g.images().size()), Math.min(8, half)));
            }
        }
        return new CompositeResult("Dataset examples", out);
    }

    /** The tuning curve as a line and as a polar chart (orientation is an angle), with its summary. */
    private static Result tuning(Result r) {
        List<Result> out = new ArrayList<>();
        for (Result part : ((CompositeResult) r).parts()) {
            if (part instanceof TextResult t) {
                out.add(t);
            } else if (part instanceof ChartResult c) {
                out.add(c);
                out.add(new ChartResult(c.title() + ", polar", ChartKind.POLAR, c.xLabel(), c.yLabel(), c.series()));
            }
        }
        return new CompositeResult("Tuning curve", out);
    }

    /** The ablation's per-class effect as a bar chart (one bar per class), with its summary. */
    private static Result ablation(Result r) {
        List<Result> out = new ArrayList<>();
        for (Result part : ((CompositeResult) r).parts()) {
            if (part instanceof TextResult t) {
                out.add(t);
            } else if (part instanceof HeatMapResult h && h.title().startsWith("Per-class effect")) {
                String title = h.title();
                String[] classes = title.substring(title.lastIndexOf("classes (") + 9, title.lastIndexOf(')')).split(", ");
                float[] v = h.map().values();
                double[] x = new double[classes.length];
                double[] y = new double[classes.length];
                for (int i = 0; i < classes.length; i++) {
                    x[i] = i;
                    y[i] = v[i];
                }
                out.add(new ChartResult("Mean drop of each class's logit when the unit is ablated", ChartKind.BAR, "class", "logit drop",
                        List.of(new Series("drop", x, y)), List.of(classes)));
            }
        }
        return new CompositeResult("Ablation", out);
    }

    /** The unit's row of the layer's dissection, in words and as a table. */
    private static Result label(Result r, int unit) {
        for (Result part : ((CompositeResult) r).parts()) {
            if (part instanceof TableResult t && t.title().startsWith("Unit labels")) {
                for (List<Object> row : t.rows()) {
                    if (row.get(0) instanceof UnitRef u && u.unit() == unit) {
                        String text = String.format(Locale.ROOT, "Label: %s (%s, IoU %.3f; next: %s, IoU %.3f); %s.", row.get(1), row.get(2),
                                ((Number) row.get(3)).doubleValue(), row.get(4), ((Number) row.get(5)).doubleValue(),
                                "yes".equals(row.get(6)) ? "interpretable" : "below the interpretability threshold");
                        return new CompositeResult("Automatic label", List.of(new TextResult("Label", text),
                                new TableResult("Its row of the dissection", t.columns(), List.of(row))));
                    }
                }
            }
        }
        return new TextResult("Automatic label", "The dissection gave no row for unit " + unit + ".");
    }

    @SafeVarargs
    private static Result keep(Result r, Class<? extends Result>... types) {
        List<Result> out = new ArrayList<>();
        for (Result part : ((CompositeResult) r).parts()) {
            for (Class<? extends Result> t : types) {
                if (t.isInstance(part)) {
                    out.add(part);
                    break;
                }
            }
        }
        return new CompositeResult("Feature visualization", out);
    }

    /** Runs the sections' analyses by id, each with its share of the progress. */
    private static final class Sub {
        private final AnalysisContext ctx;
        private final AnalysisRunner runner;
        private final SubMonitor monitor;

        Sub(AnalysisContext ctx, int sections) {
            this.ctx = ctx;
            this.runner = new AnalysisRunner(new LoupeRegistry(), new RunStore(Locations.runStore()));
            this.monitor = SubMonitor.convert(ctx.monitor(), "Unit page", sections);
        }

        /**
         * The section {@code title}: {@code shape} applied to analysis {@code id}'s result, or a text
         * saying why there is none (the analysis is not installed, does not apply, or failed).
         */
        Result section(String title, String id, Selection selection, Map<String, String> params, Function<Result, Result> shape) {
            monitor.subTask(title);
            try {
                Result r = runner.compute(new AnalysisRequest(id, ctx.model(), selection, params, ctx.seed()), monitor.split(1));
                Result shaped = shape.apply(r);
                return shaped instanceof CompositeResult c ? new CompositeResult(title, c.parts()) : shaped;
            } catch (OperationCanceledException e) {
                throw e;
            } catch (AnalysisException | RuntimeException e) {
                return new TextResult(title, "Not shown: " + e.getMessage());
            }
        }
    }
}

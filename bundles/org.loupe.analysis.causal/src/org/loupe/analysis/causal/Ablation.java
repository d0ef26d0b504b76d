package org.loupe.analysis.causal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.causal.internal.LayerPasses;
import org.loupe.analysis.causal.internal.References;
import org.loupe.analysis.causal.internal.Rows;
import org.loupe.analysis.causal.internal.SiteSpec;
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
import org.loupe.core.model.Sites;
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
 * Ablates a set of sites at the selected hook point (channels, neurons, regions, heads, tokens;
 * see the {@code sites} syntax) over an image set, replacing them by zero, the mean over the set or
 * another image's values, and reports the effect on the target class's logit, the predicted
 * class, the loss and the accuracy, clean beside ablated.
 *
 * @since 0.1
 */
public class Ablation implements Analysis<Ablation.Params> {

    /** Images shown at most in the per-image chart (the table lists all). */
    static final int MAX_SHOWN = 48;

    /**
     * Parameters.
     *
     * @param sites       what to ablate, in {@link SiteSpec}'s syntax
     * @param replacement what replaces it
     * @param target      the class whose logit and loss are measured
     * @param batchSize   images per forward pass
     */
    public record Params(@Param("what to ablate: " + SiteSpec.SYNTAX) String sites,
            @Param("what replaces the ablated sites: zero, mean (over the images) or resample (another image's values, seeded)") Replacement replacement,
            @Param("the class measured: " + Targets.SYNTAX) String target,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) implements Validating {

        /** Checks the sites' syntax (their range is checked against the hook point when the run starts). */
        @Override
        public void validate() {
            SiteSpec.parse(sites);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("units:0", Replacement.ZERO, "label", 16);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=32", "the images the effect is measured on (labelled images give accuracy)"));
    }

    /** The sites and the target against the model, before anything runs (a wrong one is a wrong argument). */
    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        SiteSpec.parse(p.sites(), point, scratch);
        Targets.parse(p.target(), model.labels(), classes(model));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint point = ctx.hookPoint();
        Sites sites;
        Targets targets;
        try {
            sites = SiteSpec.parse(p.sites(), point, ctx.manager());
            targets = Targets.parse(p.target(), model.labels(), classes(model));
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        List<SourceImage> images = Rows.images(ctx);
        int n = images.size();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Ablating " + p.sites() + " at " + point.name(), 2 * n);
        LayerPasses passes = new LayerPasses(model, point);
        References refs = References.of(p.replacement(), passes, images, p.batchSize(), ctx);
        monitor.worked(n);
        float[][] clean = new float[n][];
        float[][] ablated = new float[n][];
        for (int from = 0; from < n; from += p.batchSize()) {
            ctx.checkCanceled();
            int to = Math.min(n, from + p.batchSize());
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray prefix = passes.prefix(Rows.input(m, images, from, to, model.inputSpec()));
                float[][] c = Rows.logits(passes.resume(prefix, Hooks.none()));
                Hooks ablate = Hooks.builder().intervene(point.name(), refs.intervention(sites, refs.forRows(m, from, to, 1))).build();
                float[][] a = Rows.logits(passes.resume(prefix, ablate));
                System.arraycopy(c, 0, clean, from, to - from);
                System.arraycopy(a, 0, ablated, from, to - from);
            }
            monitor.worked(to - from);
        }
        return result(model, point, p, images, targets, refs, clean, ablated);
    }

    /** The number of classes: the labels, else the size of the last hook point (the logits). */
    static int classes(HookedModel model) {
        if (!model.labels().isEmpty()) {
            return model.labels().size();
        }
        List<HookPoint> points = model.hookPoints();
        return (int) points.get(points.size() - 1).shape().size();
    }

    private static Result result(HookedModel model, HookPoint point, Params p, List<SourceImage> images, Targets targets, References refs,
            float[][] clean, float[][] ablated) {
        int n = images.size();
        List<List<Object>> rows = new ArrayList<>();
        double cleanLogit = 0;
        double ablatedLogit = 0;
        double cleanLoss = 0;
        double ablatedLoss = 0;
        int changed = 0;
        int labelled = 0;
        int cleanCorrect = 0;
        int ablatedCorrect = 0;
        int shown = Math.min(n, MAX_SHOWN);
        double[] x = new double[shown];
        double[] yClean = new double[shown];
        double[] yAblated = new double[shown];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SourceImage s = images.get(i);
            int t = targets.of(s, clean[i]);
            int pc = Targets.argmax(clean[i]);
            int pa = Targets.argmax(ablated[i]);
            double lc = Targets.loss(clean[i], t);
            double la = Targets.loss(ablated[i], t);
            cleanLogit += clean[i][t];
            ablatedLogit += ablated[i][t];
            cleanLoss += lc;
            ablatedLoss += la;
            changed += pc != pa ? 1 : 0;
            int label = targets.labelIndex(s);
            if (label >= 0) {
                labelled++;
                cleanCorrect += pc == label ? 1 : 0;
                ablatedCorrect += pa == label ? 1 : 0;
            }
            if (i < shown) {
                x[i] = i;
                yClean[i] = clean[i][t];
                yAblated[i] = ablated[i][t];
                names.add(s.name());
            }
            rows.add(List.of(s.name(), targets.name(t), (double) clean[i][t], (double) ablated[i][t], (double) (clean[i][t] - ablated[i][t]),
                    targets.name(pc), targets.name(pa), lc, la, refs.donor(i) < 0 ? "" : images.get(refs.donor(i)).name()));
        }
        List<List<Object>> summaryRows = new ArrayList<>();
        summaryRows.add(List.of("target logit (mean)", cleanLogit / n, ablatedLogit / n, (ablatedLogit - cleanLogit) / n));
        summaryRows.add(List.of("loss (mean)", cleanLoss / n, ablatedLoss / n, (ablatedLoss - cleanLoss) / n));
        if (labelled > 0) {
            summaryRows.add(List.of("accuracy", (double) cleanCorrect / labelled, (double) ablatedCorrect / labelled,
                    (double) (ablatedCorrect - cleanCorrect) / labelled));
        }
        summaryRows.add(List.of("predictions changed", 0.0, (double) changed / n, (double) changed / n));
        String what = p.sites() + " at " + point.name();
        String summary = String.format(Locale.ROOT,
                "%s ablation of %s over %d images; target: %s. Target logit %.4g -> %.4g (mean), loss %.4g -> %.4g, %d of %d predictions changed%s.",
                p.replacement().name().toLowerCase(Locale.ROOT), what, n, targets.describe(), cleanLogit / n, ablatedLogit / n, cleanLoss / n,
                ablatedLoss / n, changed, n,
                labelled == 0 ? "" : String.format(Locale.ROOT, ", accuracy %.1f%% -> %.1f%% (%d labelled)", 100.0 * cleanCorrect / labelled,
                        100.0 * ablatedCorrect / labelled, labelled));
        return new CompositeResult("Ablation of " + what, List.of(
                new TextResult("Summary", summary),
                new TableResult("Clean and ablated", List.of("measure", "clean", "ablated", "change"), summaryRows),
                new ChartResult("Target logit per image" + (shown < n ? ", first " + shown + " of " + n : ""), ChartKind.BAR, "image", "target logit",
                        List.of(new Series("clean", x, yClean), new Series("ablated", x, yAblated)), names),
                new TableResult("Per image", List.of("image", "target", "clean logit", "ablated logit", "drop", "clean prediction",
                        "ablated prediction", "clean loss", "ablated loss", "resampled from"), rows)));
    }
}

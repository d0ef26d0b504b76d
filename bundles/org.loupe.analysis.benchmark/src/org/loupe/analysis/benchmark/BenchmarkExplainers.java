package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;

import org.loupe.analysis.attention.AttentionEvaluation;
import org.loupe.analysis.attribution.Explainers;
import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookedModel;

/**
 * The explanation methods the metric analyses and the benchmark can score on a model: the one
 * place the list is made.
 *
 * @since 0.1
 */
public final class BenchmarkExplainers {

    private BenchmarkExplainers() {
    }

    /**
     * The methods for {@code model}: every attribution method with its defaults (those that need
     * gradients or hook points only where the model has them), and for vision transformers the
     * attention methods.
     */
    public static List<Explainer> benchmarkExplainers(HookedModel model) throws AnalysisException {
        List<Explainer> out = new ArrayList<>();
        for (Explainer e : Explainers.defaults(model)) {
            if (model.hookable() || !e.needsGradients()) {
                out.add(e);
            }
        }
        if (model.hookPoints().stream().anyMatch(h -> h.kind() == HookKind.ATTENTION)) {
            out.addAll(AttentionExplainer.all(model));
        }
        return out;
    }

    /**
     * The methods a {@code methods} parameter names: {@code all} (or blank) for
     * {@link #benchmarkExplainers}, otherwise names joined with {@code +}
     * ({@code saliency+integrated-gradients+gradient-rollout}), each as {@link #find} takes it.
     */
    public static List<Explainer> select(HookedModel model, String methods) throws AnalysisException {
        if (methods == null || methods.isBlank() || methods.trim().equalsIgnoreCase("all")) {
            return benchmarkExplainers(model);
        }
        List<Explainer> out = new ArrayList<>();
        for (String name : methods.split("\\+")) {
            if (!name.isBlank()) {
                out.add(find(model, name.trim()));
            }
        }
        return out;
    }

    /**
     * The method called {@code name} (case-insensitive; dashes may stand for spaces and commas may be left out: {@code gradient-rollout}).
     *
     * @throws AnalysisException naming the methods there are for this model
     */
    public static Explainer find(HookedModel model, String name) throws AnalysisException {
        List<Explainer> all = benchmarkExplainers(model);
        String wanted = key(name == null ? "" : name);
        for (Explainer e : all) {
            if (key(e.name()).equals(wanted)) {
                return e;
            }
        }
        throw new AnalysisException("unknown method '" + name + "' for " + model.info().name() + ": use one of "
                + String.join(", ", all.stream().map(e -> "'" + e.name().replace(",", "").replace(' ', '-') + "'").toList()));
    }

    private static String key(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replace(",", "").replace('-', ' ').replace('_', ' ').trim().replaceAll("\\s+", " ");
    }

    /** The object mask of an image's ground truth, at {@code width x height}, or null without one. */
    static org.loupe.analysis.quality.Mask mask(org.loupe.core.images.SourceImage image, int width, int height) {
        Object m = image.groundTruth().get("mask");
        return m instanceof org.loupe.core.images.RasterImage r ? AttentionEvaluation.mask(org.loupe.core.images.ImageTensors.fit(r, width, height)) : null;
    }
}

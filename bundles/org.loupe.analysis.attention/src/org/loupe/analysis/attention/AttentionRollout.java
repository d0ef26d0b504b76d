package org.loupe.analysis.attention;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Where a Vision Transformer looks: attention rollout, gradient rollout or raw attention for each
 * image, as a heat map over the image (one {@link HeatMapResult} per image, so the usual views and
 * exports work) and the whole attention as an {@link AttentionResult}, from which the attention
 * editor recomputes any map. One forward pass (and one backward pass, for gradients) per batch.
 *
 * @since 0.1
 */
public class AttentionRollout implements Analysis<AttentionRollout.Params> {

    /** The opacity of the maps over the images. */
    static final double OPACITY = 0.5;

    /**
     * Parameters.
     *
     * @param method      rollout, grad-rollout or raw
     * @param fusion      head fusion for rollout
     * @param discard     the fraction of each fused matrix's lowest entries dropped by rollout, in [0, 1)
     * @param startLayer  the first layer the rollouts multiply
     * @param layer       the layer of raw attention, -1 for the last
     * @param head        the head of raw attention, -1 for the mean over heads
     * @param token       the query token, -1 for the class token (mean over patches without one)
     * @param targetClass the class gradients are taken for, -1 for each image's predicted class
     * @param gradients   also take the gradients of the attention (needed for gradient rollout, which
     *                    takes them always), so the attention editor can show every method
     * @param batchSize   images per forward pass
     */
    public record Params(@Param("rollout, grad-rollout or raw") String method,
            @Param("head fusion for rollout") Fusion fusion,
            @Param(value = "fraction of the lowest attention entries each layer drops in rollout, in [0, 1)", min = 0, max = 1) double discard,
            @Param(value = "first layer the rollouts multiply (0 = all layers)", min = 0) int startLayer,
            @Param(value = "layer of raw attention, -1 = the last", min = -1) int layer,
            @Param(value = "head of raw attention, -1 = mean over heads", min = -1) int head,
            @Param(value = "query token, -1 = the class token (or the mean over patches)", min = -1) int token,
            @Param(value = "class the gradients are taken for, -1 = each image's predicted class", min = -1) int targetClass,
            @Param("also take the attention's gradients, so the attention editor can show gradient rollout") boolean gradients,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) implements Validating {

        @Override
        public void validate() {
            Method.of(method);
            if (!(discard >= 0 && discard < 1)) {
                throw new IllegalArgumentException("parameter 'discard' must be in [0, 1) (the fraction of attention entries dropped), got " + discard);
            }
        }

        /** The method. */
        public Method methodValue() {
            return Method.of(method);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("rollout", Fusion.MEAN, 0, 0, -1, -1, -1, -1, true, 16);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=8", "the images whose attention is shown"));
    }

    /** Layer, head, token and class against the model, before anything runs (a wrong one is a wrong argument). */
    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        try {
            Settings.resolve(new AttentionRecorder(model), model, p.startLayer(), p.layer(), p.head(), p.token(), p.targetClass());
        } catch (AnalysisException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        AttentionRecorder recorder = new AttentionRecorder(model);
        Method method = p.methodValue();
        Settings s = Settings.resolve(recorder, model, p.startLayer(), p.layer(), p.head(), p.token(), p.targetClass());
        boolean gradients = p.gradients() || method == Method.GRAD_ROLLOUT;
        ImageSource source = ctx.images();
        InputSpec spec = model.inputSpec();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Recording attention", source.size().orElse(10));
        List<RasterImage> images = new ArrayList<>();
        List<AttentionStack> stacks = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> {
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), spec);
                AttentionRecorder.Batch b = recorder.record(input, gradients, s.targetClass());
                for (int i = 0; i < batch.size(); i++) {
                    SourceImage img = batch.get(i);
                    images.add(ImageTensors.fit(img.image(), (int) spec.width(), (int) spec.height()));
                    stacks.add(b.stacks().get(i));
                    targets.add(b.targets()[i]);
                    labels.add(String.format(Locale.ROOT, "%s %.2f", className(model, b.targets()[i]), b.probs()[i]));
                    names.add(img.name());
                }
            }
            monitor.worked(batch.size());
        });
        if (images.isEmpty()) {
            throw new AnalysisException("No image could be read from " + source.describe()
                    + (source.problems().isEmpty() ? "" : ": " + String.join("; ", source.problems())));
        }
        String what = describe(method, p.fusion(), p.discard(), s);
        AttentionResult attention = new AttentionResult(what + " of " + model.info().name(), images, stacks, targets, labels, method, p.fusion(),
                p.discard(), s.startLayer(), s.layer(), s.head(), s.token());
        List<Result> parts = new ArrayList<>();
        TokenLayout layout = recorder.layout();
        parts.add(new TextResult("Summary", String.format(Locale.ROOT, "%s of %s on %d images: %d attention layers x %d heads, %d tokens "
                + "(%s, %dx%d patches).%s", what, model.info().name(), images.size(), recorder.layers().size(), recorder.heads(), layout.tokens(),
                layout.hasClassToken() ? "class token " + layout.classToken() : "no class token", layout.rows(), layout.cols(),
                source.problems().isEmpty() ? "" : " Skipped: " + String.join("; ", source.problems()))));
        for (int i = 0; i < images.size(); i++) {
            parts.add(heatMap(names.get(i), attention.map(i), layout, images.get(i), labels.get(i)));
        }
        parts.add(attention);
        return new CompositeResult(attention.title(), parts);
    }

    /** A patch map over its image, colormap inferno over [0, 1]. */
    static HeatMapResult heatMap(String title, float[] map, TokenLayout layout, RasterImage image, String caption) {
        return new HeatMapResult(title, FloatMap.of(layout.rows(), layout.cols(), map), image, new OverlayStyle(Colormap.INFERNO, 0, 1, OPACITY),
                caption);
    }

    static String describe(Method method, Fusion fusion, double discard, Settings s) {
        return switch (method) {
            case ROLLOUT -> String.format(Locale.ROOT, "Attention rollout (%s fusion, discard %.2f, from layer %d)", fusion.id(), discard, s.startLayer());
            case GRAD_ROLLOUT -> String.format(Locale.ROOT, "Gradient rollout (from layer %d)", s.startLayer());
            case RAW -> "Raw attention (layer " + s.layer() + ", " + (s.head() < 0 ? "mean of heads" : "head " + s.head()) + ")";
        };
    }

    static String className(HookedModel model, int c) {
        return c < model.labels().size() ? model.labels().get(c) : "class " + c;
    }

    /**
     * Layer, head, token and class checked against the model, -1 layer resolved to the last.
     */
    record Settings(int startLayer, int layer, int head, int token, int targetClass) {

        static Settings resolve(AttentionRecorder r, HookedModel model, int startLayer, int layer, int head, int token, int targetClass)
                throws AnalysisException {
            int layers = r.layers().size();
            String name = model.info().name();
            if (startLayer >= layers) {
                throw new AnalysisException("startLayer " + startLayer + " is out of range: " + name + " has " + layers + " attention layers (0.."
                        + (layers - 1) + ")");
            }
            if (layer >= layers) {
                throw new AnalysisException("layer " + layer + " is out of range: " + name + " has " + layers + " attention layers (0.." + (layers - 1)
                        + "), or use -1 for the last");
            }
            if (head >= r.heads()) {
                throw new AnalysisException("head " + head + " is out of range: " + name + " has " + r.heads() + " heads (0.." + (r.heads() - 1)
                        + "), or use -1 for the mean over heads");
            }
            int tokens = r.layout().tokens();
            if (token >= tokens) {
                throw new AnalysisException("token " + token + " is out of range: " + name + " has " + tokens + " tokens (0.." + (tokens - 1)
                        + "), or use -1 for the class token");
            }
            int classes = model.labels().size();
            if (classes > 0 && targetClass >= classes) {
                throw new AnalysisException("targetClass " + targetClass + " is out of range: " + name + " has " + classes + " classes (0.."
                        + (classes - 1) + "), or use -1 for each image's predicted class");
            }
            return new Settings(startLayer, layer < 0 ? layers - 1 : layer, head, token, targetClass);
        }
    }
}

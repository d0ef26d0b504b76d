package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.result.Colormap;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.Result;
import org.loupe.core.result.TextResult;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What every attribution analysis does the same way: opens the images, explains each image's
 * predicted class (or the class asked for) with the method its parameters make, and shows one
 * heat map per image over the image (so the overlay editor, its colormap and opacity, and the
 * exports work), plus a summary. Parameters and the class are checked against the model before
 * anything runs.
 *
 * @param <P> the parameter record
 *
 * @since 0.1
 */
public abstract class AttributionAnalysis<P extends Record & AttributionAnalysis.Common> implements Analysis<P> {

    /** The opacity of the maps over their images. */
    static final double OPACITY = 0.5;

    /** The parameters every attribution analysis has. */
    public interface Common {
        /** The class explained, -1 for each image's predicted class. */
        int targetClass();

        /** Images per call of the method. */
        int batchSize();
    }

    /**
     * The method the parameters describe.
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     * @throws AnalysisException        if the method cannot run on {@code model}
     */
    protected abstract Explainer explainer(HookedModel model, P parameters) throws AnalysisException;

    /**
     * The methods run on each image, side by side when there are several (each map titled by its
     * method). Default: {@link #explainer} alone.
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     * @throws AnalysisException        if a method cannot run on {@code model}
     */
    protected List<Explainer> explainers(HookedModel model, P parameters) throws AnalysisException {
        return List.of(explainer(model, parameters));
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=4", "the images to explain"));
    }

    @Override
    public void check(HookedModel model, HookPoint point, P p, NDManager scratch) {
        int classes = classes(model, scratch);
        if (p.targetClass() >= classes) {
            throw new IllegalArgumentException("targetClass " + p.targetClass() + " is out of range: " + model.info().name() + " has " + classes
                    + " classes (0.." + (classes - 1) + "), or use -1 for each image's predicted class");
        }
        try {
            for (Explainer e : explainers(model, p)) {
                if (e instanceof Cam cam) {
                    cam.hookPoint(model);
                }
            }
        } catch (AnalysisException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The number of classes: the size of the model's output for one image. */
    static int classes(HookedModel model, NDManager scratch) {
        InputSpec s = model.inputSpec();
        try (NDManager m = scratch.newSubManager()) {
            return (int) model.forward(m.zeros(new Shape(1, s.channels(), s.height(), s.width())), Hooks.none()).output().size();
        }
    }

    @Override
    public Result run(AnalysisContext ctx, P p) throws AnalysisException {
        HookedModel model = ctx.model();
        List<Explainer> explainers;
        try {
            explainers = explainers(model, p);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        Explainer explainer = explainers.get(0);
        ImageSource source = ctx.images();
        String name = explainers.size() == 1 ? explainer.name() : explainers.size() + " attribution methods";
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), name, source.size().orElse(10) * explainers.size());
        List<Result> maps = new ArrayList<>();
        boolean signed = explainers.size() == 1 && signed(explainer);
        String layer = explainers.size() == 1 && explainer instanceof Cam cam ? cam.hookPoint(model).name() : null;
        try {
            Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> explainBatch(ctx, explainers, p, batch, monitor, maps));
        } catch (Failed f) {
            throw f.failure;
        }
        if (maps.isEmpty()) {
            throw new AnalysisException("No image could be read from " + source.describe()
                    + (source.problems().isEmpty() ? "" : ": " + String.join("; ", source.problems())));
        }
        String title = name + " of " + model.info().name();
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", String.format(Locale.ROOT, "%s on %d images%s%s, %s class.%s%s", title, maps.size() / explainers.size(),
                layer == null ? "" : " at " + layer, explainers.size() == 1 && explainer instanceof Batched b ? ", " + b.rowsPerPass(model) + " rows per pass" : "", p.targetClass() < 0 ? "each image's predicted" : "the " + className(model, p.targetClass()),
                signed ? " Signed map: red for evidence for the class, blue against it." : "",
                source.problems().isEmpty() ? "" : " Skipped: " + String.join("; ", source.problems()))));
        parts.addAll(maps);
        return new CompositeResult(title, parts);
    }

    /** Explains one batch of images and adds their heat maps to {@code maps}. */
    private void explainBatch(AnalysisContext ctx, List<Explainer> explainers, P p, List<SourceImage> batch, SubMonitor monitor,
            List<Result> maps) {
        HookedModel model = ctx.model();
        InputSpec spec = model.inputSpec();
        try (NDManager m = ctx.manager().newSubManager()) {
            NDArray input;
            try (NDArray wrapped = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), spec)) {
                input = wrapped.duplicate();
            }
            float[][] probs = new float[1][];
            int[] classes = classes(model, input, p.targetClass(), probs);
            List<List<PixelMap>> explained = new ArrayList<>();
            for (Explainer e : explainers) {
                explained.add(explain(ctx, e, model, input, classes, monitor, batch.size()));
            }
            for (int i = 0; i < batch.size(); i++) {
                SourceImage img = batch.get(i);
                RasterImage fitted = ImageTensors.fit(img.image(), spec.width(), spec.height());
                String caption = String.format(Locale.ROOT, "%s %.2f", className(model, classes[i]), probs[0][i]);
                for (int k = 0; k < explainers.size(); k++) {
                    Explainer e = explainers.get(k);
                    PixelMap map = explained.get(k).get(i);
                    FloatMap f = FloatMap.of(map.height(), map.width(), map.values());
                    OverlayStyle style = OverlayStyle.auto(f, signed(e) ? Colormap.DIVERGING : Colormap.INFERNO, OPACITY);
                    String title = explainers.size() == 1 ? img.name() : e.name();
                    maps.add(new HeatMapResult(title, f, fitted, style, caption));
                }
            }
        } catch (AnalysisException e) {
            throw new Failed(e);
        }
    }

    /** An {@link AnalysisException} carried out of a batch loop. */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient AnalysisException failure;

        Failed(AnalysisException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }
    }

    private static List<PixelMap> explain(AnalysisContext ctx, Explainer explainer, HookedModel model, NDArray input, int[] classes,
            SubMonitor monitor, int images) throws AnalysisException {
        if (explainer instanceof InputAttribution a) {
            SubMonitor batch = monitor.split(images);
            int[] last = {0};
            NDArray attribution = a.attribute(model, input, classes, (done, total) -> {
                ctx.checkCanceled();
                batch.setWorkRemaining(total - last[0]);
                batch.worked(done - last[0]);
                last[0] = done;
            });
            return InputAttribution.maps(attribution, a.reduction());
        }
        List<PixelMap> out = explainer.explain(model, input, classes);
        monitor.worked(images);
        return out;
    }

    /** Whether the method's maps are signed (shown with a diverging colormap around 0). */
    static boolean signed(Explainer e) {
        return (e instanceof InputAttribution a && a.reduction() == Reduction.SUM)
                || (e instanceof Cam c && c.variant() == Cam.Variant.GRADIENT_X_ACTIVATION)
                || e instanceof Occlusion;
    }

    /** The class each image is explained for ({@code targetClass}, or its prediction), and its probability in {@code probs[0]}. */
    static int[] classes(HookedModel model, NDArray input, int targetClass, float[][] probs) {
        int n = (int) input.getShape().get(0);
        try (NDManager m = input.getManager().newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(m);
            NDArray logits = model.forward(x, Hooks.none()).output().reshape(n, -1);
            int k = (int) logits.getShape().get(1);
            float[] p = logits.softmax(1).toFloatArray();
            int[] classes = new int[n];
            probs[0] = new float[n];
            long[] best = logits.argMax(1).toLongArray();
            for (int i = 0; i < n; i++) {
                classes[i] = targetClass >= 0 ? targetClass : (int) best[i];
                probs[0][i] = p[i * k + classes[i]];
            }
            return classes;
        }
    }

    static String className(HookedModel model, int c) {
        return c < model.labels().size() ? model.labels().get(c) : "class " + c;
    }
}

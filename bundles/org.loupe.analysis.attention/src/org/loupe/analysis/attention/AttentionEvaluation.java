package org.loupe.analysis.attention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.quality.Baselines;
import org.loupe.analysis.quality.Mask;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.analysis.quality.PointingGame;
import org.loupe.analysis.quality.SegmentationScore;
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
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.TokenLayout;
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
 * How well attention maps localise the object, measured on images with object masks (Loupe Shapes'
 * held-out split by default): for every method and head fusion, the pointing game and Chefer et
 * al.'s segmentation agreement (map upsampled to the image, thresholded at its mean; pixel accuracy
 * and mIoU), next to a random-map and a centre-bias baseline. The metrics are those of
 * {@code org.loupe.analysis.quality}, shared with the attribution analyses.
 *
 * @since 0.1
 */
public class AttentionEvaluation implements Analysis<AttentionEvaluation.Params> {

    /**
     * Parameters.
     *
     * @param discard    discard ratio of the rollouts
     * @param startLayer first layer of the rollouts
     * @param batchSize  images per forward pass
     */
    public record Params(@Param(value = "fraction of the lowest attention entries each layer drops in rollout, in [0, 1)", min = 0, max = 1) double discard,
            @Param(value = "first layer the rollouts multiply", min = 0) int startLayer,
            @Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) implements Validating {

        @Override
        public void validate() {
            if (!(discard >= 0 && discard < 1)) {
                throw new IllegalArgumentException("parameter 'discard' must be in [0, 1) (the fraction of attention entries dropped), got " + discard);
            }
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(0.9, 0, 32);
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:split=test,count=200", "images with object masks (ground truth 'mask')"));
    }

    /** One row of the report: a way of making a map from an image's attention. */
    private interface Maker {
        float[] map(AttentionStack s);
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        AttentionRecorder recorder = new AttentionRecorder(model);
        AttentionRollout.Settings.resolve(recorder, model, p.startLayer(), -1, -1, -1, -1);
        TokenLayout layout = recorder.layout();
        int last = recorder.layers().size() - 1;
        Random random = new Random(ctx.seed());
        PixelMap centre = Baselines.centreBias(layout.cols(), layout.rows());
        Map<String, Maker> methods = new LinkedHashMap<>();
        String d = String.format(Locale.ROOT, "%.2f", p.discard());
        for (Fusion f : Fusion.values()) {
            methods.put("rollout, " + f.id() + ", discard " + d, s -> Rollout.rollout(s, f, p.discard(), p.startLayer(), -1));
        }
        methods.put("rollout, mean, discard 0", s -> Rollout.rollout(s, Fusion.MEAN, 0, p.startLayer(), -1));
        methods.put("gradient rollout", s -> Rollout.gradRollout(s, p.startLayer(), -1));
        methods.put("raw attention, last layer, mean of heads", s -> Rollout.raw(s, last, -1, -1));
        int baselinesFrom = methods.size();
        methods.put("baseline: random map", s -> Baselines.random(layout.cols(), layout.rows(), random).values());
        methods.put("baseline: centre bias", s -> centre.values());
        List<String> names = new ArrayList<>(methods.keySet());
        InputSpec spec = model.inputSpec();
        int w = (int) spec.width();
        int h = (int) spec.height();
        double tolerance = PointingGame.zhangTolerance(Math.min(w, h));
        PointingGame[] pointing = new PointingGame[names.size()];
        PointingGame[] near = new PointingGame[names.size()];
        SegmentationScore[] segmentation = new SegmentationScore[names.size()];
        for (int m = 0; m < names.size(); m++) {
            pointing[m] = new PointingGame();
            near[m] = new PointingGame(tolerance);
            segmentation[m] = new SegmentationScore();
        }
        ImageSource source = ctx.images();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Scoring attention maps", source.size().orElse(200));
        int[] counts = new int[2];
        Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> {
            List<SourceImage> usable = batch.stream().filter(s -> s.groundTruth().get("mask") instanceof RasterImage).toList();
            counts[1] += batch.size() - usable.size();
            if (usable.isEmpty()) {
                return;
            }
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, usable.stream().map(SourceImage::image).toList(), spec);
                AttentionRecorder.Batch b = recorder.record(input, true, -1);
                for (int i = 0; i < usable.size(); i++) {
                    Mask mask = mask(ImageTensors.fit((RasterImage) usable.get(i).groundTruth().get("mask"), w, h));
                    AttentionStack s = b.stacks().get(i);
                    int k = 0;
                    for (Maker maker : methods.values()) {
                        PixelMap map = new PixelMap(layout.cols(), layout.rows(), maker.map(s)).resize(w, h);
                        pointing[k].add(map, mask);
                        near[k].add(map, mask);
                        segmentation[k].add(map, mask);
                        k++;
                    }
                }
                counts[0] += usable.size();
            }
            monitor.worked(batch.size());
        });
        if (counts[0] == 0) {
            throw new AnalysisException("None of the images of " + source.describe() + " has an object mask (ground truth 'mask'); "
                    + "use images that have one, for example loupe-shapes:split=test,count=200");
        }
        List<List<Object>> rows = new ArrayList<>();
        double[] x = new double[names.size()];
        double[] pg = new double[names.size()];
        double[] pgNear = new double[names.size()];
        double[] acc = new double[names.size()];
        double[] miou = new double[names.size()];
        for (int m = 0; m < names.size(); m++) {
            x[m] = m;
            pg[m] = 100 * pointing[m].accuracy();
            pgNear[m] = 100 * near[m].accuracy();
            acc[m] = 100 * segmentation[m].pixelAccuracy();
            miou[m] = 100 * segmentation[m].meanIou();
            rows.add(List.of(names.get(m), round(pg[m]), round(pgNear[m]), round(acc[m]), round(miou[m]), counts[0]));
        }
        int best = 0;
        int bestNear = 0;
        double floorPg = Math.max(pg[baselinesFrom], pg[baselinesFrom + 1]);
        double floorAcc = Math.max(acc[baselinesFrom], acc[baselinesFrom + 1]);
        double floorMiou = Math.max(miou[baselinesFrom], miou[baselinesFrom + 1]);
        List<String> below = new ArrayList<>();
        for (int m = 0; m < baselinesFrom; m++) {
            if (pg[m] > pg[best]) {
                best = m;
            }
            if (pgNear[m] > pgNear[bestNear]) {
                bestNear = m;
            }
            List<String> scores = new ArrayList<>();
            if (!(pg[m] > floorPg)) {
                scores.add("pointing game");
            }
            if (!(pgNear[m] > Math.max(pgNear[baselinesFrom], pgNear[baselinesFrom + 1]))) {
                scores.add("pointing game within " + String.format(Locale.ROOT, "%.1f", tolerance) + " px");
            }
            if (!(acc[m] > floorAcc)) {
                scores.add("pixel accuracy");
            }
            if (!(miou[m] > floorMiou)) {
                scores.add("mIoU");
            }
            if (!scores.isEmpty()) {
                below.add(names.get(m) + " (" + String.join(", ", scores) + ")");
            }
        }
        String summary = String.format(Locale.ROOT, "%d images of %s with object masks, %s.%s Best pointing game: %s, %.1f %% with the maximum "
                + "inside the mask; %s, %.1f %% within %.1f px of it (Zhang et al.'s 15 px at 224). Baselines: random %.1f %% / %.1f %%, centre "
                + "bias %.1f %% / %.1f %%. %s", counts[0], source.describe(), model.info().name(),
                counts[1] == 0 ? "" : " " + counts[1] + " images without a mask were skipped.", names.get(best), pg[best], names.get(bestNear),
                pgNear[bestNear], tolerance, pg[baselinesFrom], pgNear[baselinesFrom], pg[baselinesFrom + 1], pgNear[baselinesFrom + 1],
                below.isEmpty() ? "Every method beats both baselines on all four scores."
                        : "Not above both baselines on every score: " + String.join("; ", below) + ".");
        List<Result> parts = new ArrayList<>();
        parts.add(new TextResult("Summary", summary));
        parts.add(new TableResult("Localisation of attention maps", List.of("method", "pointing game %",
                String.format(Locale.ROOT, "pointing game within %.1f px %%", tolerance), "pixel accuracy %", "mIoU %", "images"), rows));
        parts.add(new ChartResult("Localisation of attention maps", ChartKind.BAR, "method", "%",
                List.of(new Series("pointing game", x, pg),
                        new Series(String.format(Locale.ROOT, "pointing game within %.1f px", tolerance), x, pgNear), new Series("pixel accuracy", x, acc), new Series("mIoU", x, miou)), names));
        return new CompositeResult("Attention localisation on " + model.info().name(), parts);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The mask of a ground-truth mask image (Loupe Shapes' {@code mask}): white (red channel above half) is the object. */
    public static Mask mask(RasterImage image) {
        boolean[] in = new boolean[image.width() * image.height()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                in[y * image.width() + x] = (image.pixel(x, y) >> 16 & 0xFF) > 127;
            }
        }
        return new Mask(image.width(), image.height(), in);
    }
}

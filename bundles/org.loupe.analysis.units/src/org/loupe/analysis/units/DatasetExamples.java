package org.loupe.analysis.units;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.analysis.units.internal.ExampleScan;
import org.loupe.analysis.units.internal.Extremes;
import org.loupe.analysis.units.internal.Pictures;
import org.loupe.analysis.units.internal.ReceptiveField;
import org.loupe.analysis.units.internal.Specs;
import org.loupe.analysis.units.internal.UnitMaps;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.RasterImage;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.TableResult;
import org.loupe.core.result.TextResult;
import org.loupe.core.result.UnitRef;
import org.loupe.core.store.Locations;

import ai.djl.ndarray.NDManager;

/**
 * Dataset examples (OpenAI Microscope's "dataset examples"): one streamed pass over an image source
 * keeps, for every unit of the chosen hook points, the k images on which the unit's maximum is
 * largest and the k on which its minimum is smallest, with the position, and shows for chosen units
 * the crops around that position's receptive field. The scan is kept in an index on disk, so a
 * second look is read from it; a changed source is detected and rescanned; an interrupted scan
 * resumes from its checkpoint.
 *
 * @since 0.1
 */
public class DatasetExamples implements Analysis<DatasetExamples.Params> {

    /** Side of the enlarged crop of a whole receptive field, pixels. */
    private static final int CROP_SIZE = 64;

    /**
     * Parameters.
     *
     * @param layers          the hook points to scan, joined by {@code +}; blank for the selected one
     * @param k               images kept per unit, each way
     * @param units           the units whose crops are shown: all, or indices and ranges (0-7+12); blank for
     *                        the selected unit, else the first 8
     * @param memoryMB        memory budget for one forward pass, which sets the batch size
     * @param batchSize       images per forward pass; 0 to size batches from the memory budget
     * @param checkpointEvery batches between checkpoints of an unfinished scan
     * @param index           the folder of the dataset-example indexes; blank for the workspace's
     */
    public record Params(@Param("hook points to scan, joined by + (blank: the selected one)") String layers,
            @Param(value = "images kept per unit, top and bottom", min = 1, max = 100) int k,
            @Param("units whose crops are shown: all, or indices and ranges like 0-7+12 (blank: the selected unit, else 0-7)") String units,
            @Param(value = "memory budget of one forward pass, MB (sets the batch size)", min = 16, max = 65536) int memoryMB,
            @Param(value = "images per forward pass (0: from the memory budget)", min = 0, max = 4096) int batchSize,
            @Param(value = "batches between checkpoints of an unfinished scan", min = 1, max = 100000) int checkpointEvery,
            @Param("folder of the dataset-example indexes (blank: <workspace>/dataset-examples)") String index) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("", 8, "", 512, 0, 10, "");
    }

    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("loupe-shapes:count=256", "the images to scan (a folder, a dataset or a stimulus source)"));
    }

    @Override
    public void check(HookedModel model, HookPoint point, Params p, NDManager scratch) {
        for (HookPoint l : Specs.layers(model, p.layers(), point)) {
            Specs.units(p.units(), (int) l.units(), "'" + l.name() + "'", List.of());
        }
    }

    /** The folder where indexes are kept: {@code index}, or {@code <workspace>/dataset-examples}. */
    public static Path indexRoot(String index) {
        return index == null || index.isBlank() ? Locations.workspace().resolve("dataset-examples") : Path.of(index);
    }

    /** Images per forward pass that fit {@code memoryMB} when recording {@code layers} of {@code model}. */
    public static int batchSize(HookedModel model, List<HookPoint> layers, int memoryMB) {
        int deepest = layers.stream().mapToInt(model.hookPoints()::indexOf).max().orElse(0);
        long input = (long) model.inputSpec().channels() * model.inputSpec().height() * model.inputSpec().width();
        long largest = 0;
        for (int i = 0; i <= deepest; i++) {
            largest = Math.max(largest, model.hookPoints().get(i).shape().size());
        }
        long recorded = layers.stream().mapToLong(l -> l.shape().size()).sum();
        long perImage = 4 * (input + recorded + 3 * largest);
        return (int) Math.max(1, Math.min(256, memoryMB * 1024L * 1024L / perImage));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookedModel model = ctx.model();
        HookPoint selected = ctx.selection().optionalHookPoint().isPresent() ? ctx.hookPoint() : null;
        List<HookPoint> layers;
        try {
            layers = Specs.layers(model, p.layers(), selected);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(e.getMessage());
        }
        int batch = p.batchSize() > 0 ? p.batchSize() : batchSize(model, layers, p.memoryMB());
        ImageSource source = ctx.images();
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Dataset examples", 3 * source.size().orElse(1000));
        ExampleScan scan = new ExampleScan(model, layers, new ExampleScan.Settings(p.k(), batch, p.checkpointEvery(), indexRoot(p.index())),
                ctx::checkCanceled, monitor.split(2 * source.size().orElse(1000)), ctx.manager());
        long started = System.nanoTime();
        ExampleScan.Outcome outcome = scan.run(source);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (outcome.images() == 0) {
            throw new AnalysisException("No image could be read from " + source.describe());
        }
        List<Integer> fallback = ctx.selection().optionalUnit().isPresent() ? List.of(ctx.selection().optionalUnit().getAsInt())
                : List.of(0, 1, 2, 3, 4, 5, 6, 7);
        Map<String, List<Integer>> shown = new HashMap<>();
        TreeSet<Integer> needed = new TreeSet<>();
        for (HookPoint l : layers) {
            List<Integer> units = Specs.units(p.units(), (int) l.units(), "'" + l.name() + "'", fallback);
            shown.put(l.name(), units);
            Extremes e = outcome.layer(l.name()).extremes();
            for (int u = 0; u < e.units(); u++) {
                for (Extremes.Entry x : e.top(u)) {
                    needed.add(x.image());
                }
                for (Extremes.Entry x : e.bottom(u)) {
                    needed.add(x.image());
                }
            }
        }
        Map<Integer, SourceImage> images = fetch(source, needed, ctx);
        List<Result> parts = new ArrayList<>();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "Dataset examples of %d hook point(s) over %d images of %s: %s (%.2f s). "
                + "Batches of %d images; index %s.", layers.size(), outcome.images(), source.describe(), outcome.how(), seconds, batch,
                outcome.folder()));
        List<Result> grids = new ArrayList<>();
        for (HookPoint l : layers) {
            ReceptiveField field = ReceptiveField.of(model, l, ctx.manager());
            double stride = field.strideY();
            summary.append(String.format(Locale.ROOT, " %s: receptive field %dx%d pixels, stride %s.", l.name(), field.size(),
                    (int) Math.round(2 * field.halfWidth() + 1), stride == Math.rint(stride) ? Long.toString((long) stride)
                            : String.format(Locale.ROOT, "%.3g", stride)));
            Extremes e = outcome.layer(l.name()).extremes();
            parts.add(table(model, l, e, images));
            for (int u : shown.get(l.name())) {
                grids.add(grid(ctx.manager(), model, l, u, e, field, images));
            }
        }
        parts.add(0, new TextResult("Summary", summary.toString()));
        parts.addAll(grids);
        return new CompositeResult("Dataset examples of " + String.join(", ", layers.stream().map(HookPoint::name).toList()), parts);
    }

    /** The images of {@code indices}, in one more pass over the source. */
    private static Map<Integer, SourceImage> fetch(ImageSource source, TreeSet<Integer> indices, AnalysisContext ctx) {
        Map<Integer, SourceImage> out = new HashMap<>();
        int i = 0;
        for (SourceImage image : source) {
            if (indices.contains(i)) {
                out.put(i, image);
            }
            if (++i > indices.last()) {
                break;
            }
            if (i % 256 == 0) {
                ctx.checkCanceled();
            }
        }
        return out;
    }

    private static TableResult table(HookedModel model, HookPoint l, Extremes e, Map<Integer, SourceImage> images) {
        int cols = UnitMaps.columns(l);
        List<List<Object>> rows = new ArrayList<>();
        for (int u = 0; u < e.units(); u++) {
            UnitRef ref = new UnitRef(model.info().id(), l.name(), u);
            for (String side : List.of("top", "bottom")) {
                Extremes.Entry[] entries = side.equals("top") ? e.top(u) : e.bottom(u);
                for (int r = 0; r < entries.length; r++) {
                    Extremes.Entry x = entries[r];
                    rows.add(List.of(ref, side, (long) r + 1, (long) x.image(), images.get(x.image()).name(), (double) x.value(),
                            (long) (x.position() / cols), (long) (x.position() % cols)));
                }
            }
        }
        return new TableResult("Dataset examples of " + l.name(), List.of("unit", "side", "rank", "image", "name", "value", "row", "column"),
                rows);
    }

    private static ImageGridResult grid(NDManager manager, HookedModel model, HookPoint l, int u, Extremes e, ReceptiveField field,
            Map<Integer, SourceImage> images) {
        int cols = UnitMaps.columns(l);
        int factor = Math.max(1, CROP_SIZE / Math.max(field.size(), (int) Math.round(2 * field.halfWidth() + 1)));
        List<RasterImage> crops = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (String side : List.of("top", "bottom")) {
            Extremes.Entry[] entries = side.equals("top") ? e.top(u) : e.bottom(u);
            for (Extremes.Entry x : entries) {
                RasterImage view = Pictures.modelView(manager, images.get(x.image()).image(), model.inputSpec());
                int[] box = field.box(x.position() / cols, x.position() % cols);
                crops.add(Pictures.enlarge(Pictures.crop(view, box), factor));
                captions.add(String.format(Locale.ROOT, "%s: %s %.3g", side, images.get(x.image()).name(), x.value()));
            }
        }
        return new ImageGridResult(l.name() + ":" + u + " top and bottom", crops, captions, Math.max(1, e.k()));
    }
}

package __ID__;

import java.util.Arrays;
import java.util.Optional;

import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.analysis.AnalysisContext;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.analysis.ImageInput;
import org.loupe.core.analysis.Param;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.Range;
import org.loupe.core.result.Result;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The mean and the peak activation of every unit (channel, feature, head) of one hook point over a
 * set of images, as a {@link UnitMeans}. The images stream through the model in batches, and the
 * model computes nothing beyond the hook point. Start your own analysis from here: parameters are
 * the record {@link Params}, the result is any {@link Result}.
 */
public class MeanActivation implements Analysis<MeanActivation.Params> {

    /**
     * Parameters, bound by name from the command line ({@code --param batchSize=8}) or the
     * Analyses view's form; {@link Param} gives the help text and the allowed range.
     *
     * @param batchSize images per forward pass
     */
    public record Params(@Param(value = "images per forward pass", min = 1, max = 1024) int batchSize) {
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(16);
    }

    /** It reads images: the ones given with the request, else 16 noise images. */
    @Override
    public Optional<ImageInput> imageInput() {
        return Optional.of(new ImageInput("noise:count=16", "the images to average over: a folder, or a source such as noise:count=16"));
    }

    @Override
    public Result run(AnalysisContext ctx, Params p) throws AnalysisException {
        HookPoint point = ctx.hookPoint();
        HookedModel model = ctx.model();
        ImageSource source = ctx.images();
        int units = (int) point.units();
        double[] sum = new double[units];
        double[] peak = new double[units];
        Arrays.fill(peak, Double.NEGATIVE_INFINITY);
        long[] perUnit = {0};
        SubMonitor monitor = SubMonitor.convert(ctx.monitor(), "Mean activation of " + point.name(), Math.max(1, source.size().orElse(0)));
        Batches.forEach(source, p.batchSize(), ctx::checkCanceled, batch -> {
            try (NDManager m = ctx.manager().newSubManager()) {
                NDArray input = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), model.inputSpec());
                NDArray act = model.forward(input, Hooks.none(), Range.until(point.name())).output();
                float[] values = act.swapAxes(0, point.kind().unitAxis()).reshape(point.units(), -1).toFloatArray();
                int n = values.length / units;
                for (int u = 0; u < units; u++) {
                    for (int k = u * n; k < (u + 1) * n; k++) {
                        sum[u] += values[k];
                        peak[u] = Math.max(peak[u], values[k]);
                    }
                }
                perUnit[0] += n;
            }
            monitor.worked(batch.size());
        });
        if (perUnit[0] == 0) {
            throw new AnalysisException("No image could be read from " + source.describe()
                    + (source.problems().isEmpty() ? "" : ": " + String.join("; ", source.problems())));
        }
        double[] mean = new double[units];
        for (int u = 0; u < units; u++) {
            mean[u] = sum[u] / perUnit[0];
        }
        return new UnitMeans("Mean activation of " + point.name(), point.name(), mean, peak);
    }
}

package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.model.HookedModel;

/**
 * The {@code occlusion} analysis: {@link Occlusion} maps of the images; works on black-box models.
 *
 * @since 0.1
 */
public class OcclusionAnalysis extends AttributionAnalysis<OcclusionAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param window      the square's side in input pixels, 0 for an eighth of the input
     * @param stride      its step, 0 for half the window
     * @param baseline    what replaces the covered pixels (see {@link Baseline})
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per call
     * @param memoryMb    memory one pass may use; the windows are batched under it
     */
    public record Params(@Param(value = "side of the occluding square in input pixels, 0 = an eighth of the input", min = 0) int window,
            @Param(value = "step of the square, 0 = half the window", min = 0) int stride,
            @Param("black, zero, blurred[:SIGMA], noise[:SEED] or image:PATH") String baseline,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per call", min = 1, max = 1024) int batchSize,
            @Param(value = "memory one pass may use, in MB", min = 1) int memoryMb) implements AttributionAnalysis.Common, Validating {

        @Override
        public void validate() {
            Baseline.parse(baseline);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(0, 0, "black", -1, 8, Explainers.MEMORY_MB);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        int side = Math.min(model.inputSpec().height(), model.inputSpec().width());
        Occlusion auto = Explainers.occlusion(side);
        int window = p.window() > 0 ? p.window() : auto.window();
        Occlusion o = new Occlusion(window, p.stride() > 0 ? p.stride() : Math.max(1, window / 2), Baseline.parse(p.baseline()), p.memoryMb());
        o.positions(side);
        return o;
    }
}

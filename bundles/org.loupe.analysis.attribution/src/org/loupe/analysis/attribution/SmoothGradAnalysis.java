package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.model.HookedModel;

/**
 * The {@code smoothgrad} analysis: {@link NoiseTunnel} maps (SmoothGrad, SquareGrad or VarGrad) of the images.
 *
 * @since 0.1
 */
public class SmoothGradAnalysis extends AttributionAnalysis<SmoothGradAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param variant     smoothgrad, squaregrad or vargrad
     * @param samples     noisy copies per image
     * @param noise       the noise's standard deviation as a fraction of each image's input range
     * @param seed        the noise's seed
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per call
     * @param memoryMb    memory one pass may use; the samples are batched under it
     */
    public record Params(@Param("smoothgrad, squaregrad or vargrad") String variant,
            @Param(value = "noisy copies per image", min = 1, max = 100000) int samples,
            @Param(value = "noise standard deviation as a fraction of the input range", min = 0, max = 10) double noise,
            @Param("the noise's seed") long seed,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per call", min = 1, max = 1024) int batchSize,
            @Param(value = "memory one pass may use, in MB", min = 1) int memoryMb) implements AttributionAnalysis.Common, Validating {

        @Override
        public void validate() {
            NoiseTunnel.Variant.of(variant);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("smoothgrad", 50, 0.2, 0, -1, 8, Explainers.MEMORY_MB);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return new NoiseTunnel(NoiseTunnel.Variant.of(p.variant()), p.samples(), p.noise(), p.seed(), p.memoryMb());
    }
}

package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.model.HookedModel;

/**
 * The {@code integrated-gradients} analysis: {@link IntegratedGradients} maps of the images.
 *
 * @since 0.1
 */
public class IntegratedGradientsAnalysis extends AttributionAnalysis<IntegratedGradientsAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param steps       points along the path
     * @param method      the integration rule (Captum's names)
     * @param baseline    where the path starts (see {@link Baseline})
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per call
     * @param memoryMb    memory one pass may use; the steps are batched under it
     * @param foldNorms   fold batch norms into the convolutions in the passes (faster; the same
     *                    attributions to float rounding, not Captum's to the last digits)
     */
    public record Params(@Param(value = "points along the path from the baseline to the image", min = 1, max = 100000) int steps,
            @Param("gausslegendre, riemann_trapezoid, riemann_left, riemann_right or riemann_middle") String method,
            @Param("black, zero, blurred[:SIGMA], noise[:SEED] or image:PATH") String baseline,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per call", min = 1, max = 1024) int batchSize,
            @Param(value = "memory one pass may use, in MB", min = 1) int memoryMb,
            @Param("fold batch norms into the convolutions in the passes: about 10 % faster, equal to float rounding, not to Captum's last digits") boolean foldNorms)
            implements AttributionAnalysis.Common, Validating {

        /** The parameters in PyTorch's order of operations (no folded batch norms), as before {@code foldNorms}. */
        public Params(int steps, String method, String baseline, int targetClass, int batchSize, int memoryMb) {
            this(steps, method, baseline, targetClass, batchSize, memoryMb, false);
        }

        @Override
        public void validate() {
            Rule rule = Rule.of(method);
            if (steps < rule.minSteps()) {
                throw new IllegalArgumentException("parameter 'steps' must be at least " + rule.minSteps() + " with " + rule.id() + ", got " + steps);
            }
            Baseline.parse(baseline);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params(50, Rule.GAUSS_LEGENDRE.id(), "black", -1, 8, Explainers.MEMORY_MB, false);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return new IntegratedGradients(p.steps(), Rule.of(p.method()), Baseline.parse(p.baseline()), p.memoryMb(), p.foldNorms());
    }
}

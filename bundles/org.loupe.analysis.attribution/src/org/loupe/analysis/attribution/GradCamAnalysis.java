package org.loupe.analysis.attribution;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.analysis.Param;
import org.loupe.core.analysis.Validating;
import org.loupe.core.model.HookedModel;

/**
 * The {@code gradcam} analysis: {@link Cam} maps (Grad-CAM, Grad-CAM++, HiResCAM, layer gradient x
 * activation) at a convolutional or ViT token hook point: the {@code layer} parameter, else the
 * model's usual one ({@link Cam#defaultLayer}).
 *
 * @since 0.1
 */
public class GradCamAnalysis extends AttributionAnalysis<GradCamAnalysis.Params> {

    /**
     * Parameters.
     *
     * @param variant     gradcam, gradcam++, hirescam or layer-gradient-x-activation
     * @param layer       the hook point, empty for the model's usual one
     * @param targetClass the class explained, -1 for each image's predicted class
     * @param batchSize   images per pass
     */
    public record Params(@Param("gradcam, gradcam++, hirescam or layer-gradient-x-activation") String variant,
            @Param("hook point (conv, or ViT tokens), empty = the last conv hook point, or a ViT's last block input") String layer,
            @Param(value = "class explained, -1 = each image's predicted class", min = -1) int targetClass,
            @Param(value = "images per pass", min = 1, max = 1024) int batchSize) implements AttributionAnalysis.Common, Validating {

        @Override
        public void validate() {
            Cam.Variant.of(variant);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Params defaults() {
        return new Params("gradcam", "", -1, 8);
    }

    @Override
    protected Explainer explainer(HookedModel model, Params p) {
        return new Cam(Cam.Variant.of(p.variant()), p.layer() == null || p.layer().isBlank() ? null : p.layer().trim());
    }
}

package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookedModel;

/**
 * The attribution methods with their default settings, ready to be compared: what the explanation
 * benchmark ranks and the workbench offers. A black-box model gets only the methods that need no
 * hook points (input gradients, occlusion, RISE).
 */
public final class Explainers {

    /** The memory one pass of a batched method may use by default. */
    public static final int MEMORY_MB = 512;

    private Explainers() {
    }

    /** Every method, default settings, named for a leaderboard. */
    public static List<Explainer> defaults(HookedModel model) {
        int side = Math.min(model.inputSpec().height(), model.inputSpec().width());
        List<Explainer> out = new ArrayList<>();
        out.add(new Saliency(false));
        out.add(new GradientXInput());
        out.add(smoothGrad(NoiseTunnel.Variant.SMOOTHGRAD));
        out.add(smoothGrad(NoiseTunnel.Variant.SQUAREGRAD));
        out.add(smoothGrad(NoiseTunnel.Variant.VARGRAD));
        out.add(new IntegratedGradients(50, Rule.GAUSS_LEGENDRE, Baseline.BLACK, MEMORY_MB));
        out.add(occlusion(side));
        out.add(new Rise(4000, 7, 0.5, 0, Baseline.BLACK, MEMORY_MB));
        if (model.hookPoints().stream().anyMatch(p -> p.kind() == HookKind.CONV_CHANNELS || p.tokenLayout().isPresent())) {
            out.add(new Cam(Cam.Variant.GRADCAM, null));
            out.add(new Cam(Cam.Variant.GRADCAM_PLUS_PLUS, null));
            out.add(new Cam(Cam.Variant.HIRESCAM, null));
        }
        return out;
    }

    /** A noise tunnel with Xplique's defaults: 50 samples, noise 0.2 of the input range, seed 0. */
    public static NoiseTunnel smoothGrad(NoiseTunnel.Variant variant) {
        return new NoiseTunnel(variant, 50, 0.2, 0, MEMORY_MB);
    }

    /** Occlusion with a window an eighth of the input's side and half of it as the stride. */
    public static Occlusion occlusion(int side) {
        int window = Math.max(1, side / 8);
        return new Occlusion(window, Math.max(1, window / 2), Baseline.BLACK, MEMORY_MB);
    }
}

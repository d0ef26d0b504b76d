package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loupe.analysis.quality.Explainer;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookedModel;

/**
 * The attribution methods with their default settings, ready to be compared: what the explanation
 * benchmark ranks and the workbench offers. A black-box model gets only the methods that need no
 * hook points (input gradients, occlusion, RISE).
 *
 * @since 0.1
 */
public final class Explainers {

    /** The memory one pass of a batched method may use by default. */
    public static final int MEMORY_MB = 512;

    private Explainers() {
    }

    /** Every method, default settings, named for a leaderboard. */
    public static List<Explainer> defaults(HookedModel model) {
        return new ArrayList<>(byKey(model).values());
    }

    /**
     * The same methods by a short key (saliency, gradient-x-input, smoothgrad, squaregrad, vargrad,
     * integrated-gradients, occlusion, rise, gradcam, gradcam++, hirescam), in that order.
     */
    public static Map<String, Explainer> byKey(HookedModel model) {
        int side = Math.min(model.inputSpec().height(), model.inputSpec().width());
        Map<String, Explainer> out = new LinkedHashMap<>();
        out.put("saliency", new Saliency(false));
        out.put("gradient-x-input", new GradientXInput());
        for (NoiseTunnel.Variant v : NoiseTunnel.Variant.values()) {
            out.put(v.id(), smoothGrad(v));
        }
        out.put("integrated-gradients", new IntegratedGradients(50, Rule.GAUSS_LEGENDRE, Baseline.BLACK, MEMORY_MB));
        out.put("occlusion", occlusion(side));
        out.put("rise", new Rise(4000, 7, 0.5, 0, Baseline.BLACK, MEMORY_MB));
        if (model.hookPoints().stream().anyMatch(p -> p.kind() == HookKind.CONV_CHANNELS || p.tokenLayout().isPresent())) {
            for (Cam.Variant v : List.of(Cam.Variant.GRADCAM, Cam.Variant.GRADCAM_PLUS_PLUS, Cam.Variant.HIRESCAM)) {
                out.put(v.id(), new Cam(v, null));
            }
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

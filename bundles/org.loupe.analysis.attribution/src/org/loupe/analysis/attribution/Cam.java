package org.loupe.analysis.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.loupe.analysis.attribution.internal.Tensors;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.model.UnknownHookPointException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/**
 * Class activation maps from a hook point's activation {@code A} and the gradient {@code G} of the
 * class logit with respect to it, at the hook point's resolution: Grad-CAM (Selvaraju et al.:
 * channel weights = spatial mean of {@code G}), Grad-CAM++ (pytorch-grad-cam's weights from
 * {@code G^2} and {@code G^3}), HiResCAM ({@code G * A} summed over channels), each clamped at 0 as
 * in the papers; and layer gradient x activation (the same sum, signed: layer attribution). On a
 * convolutional hook point {@code [C, h, w]} directly; on a ViT token hook point {@code [T, D]}
 * through its {@link TokenLayout}: the class and register tokens are dropped and the patch tokens
 * laid out on the patch grid, so no reshape code is needed.
 *
 * @param variant which map
 * @param layer   the hook point, or null for {@link #defaultLayer}
 *
 * @since 0.1
 */
public record Cam(Variant variant, String layer) implements Explainer {

    /** Which class activation map. */
    public enum Variant {
        /** Grad-CAM. */
        GRADCAM("gradcam"),
        /** Grad-CAM++. */
        GRADCAM_PLUS_PLUS("gradcam++"),
        /** HiResCAM. */
        HIRESCAM("hirescam"),
        /** Layer gradient x activation, not clamped. */
        GRADIENT_X_ACTIVATION("layer-gradient-x-activation");

        private final String id;

        Variant(String id) {
            this.id = id;
        }

        /** The name on the command line. */
        public String id() {
            return id;
        }

        /** The variant called {@code id}; throws naming the variants if there is none. */
        public static Variant of(String id) {
            String t = id.trim().toLowerCase(Locale.ROOT);
            for (Variant v : values()) {
                if (v.id.equals(t) || v.name().equalsIgnoreCase(t) || (v == GRADCAM_PLUS_PLUS && t.equals("gradcampp"))) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown variant '" + id + "'; use gradcam, gradcam++, hirescam or layer-gradient-x-activation");
        }
    }

    @Override
    public String name() {
        return variant.id() + (layer == null ? "" : " at " + layer);
    }

    /**
     * The hook point the maps are taken at: {@code layer} if given, else {@link #defaultLayer}.
     *
     * @throws AnalysisException if it does not exist, is not a convolutional or token hook point, or the model has none
     */
    public HookPoint hookPoint(HookedModel model) throws AnalysisException {
        if (layer == null || layer.isBlank()) {
            return defaultLayer(model);
        }
        HookPoint p;
        try {
            p = model.hookPoint(layer);
        } catch (UnknownHookPointException e) {
            throw new AnalysisException(e.getMessage(), e);
        }
        if (!usable(p)) {
            throw new AnalysisException(variant.id() + " needs a convolutional hook point [C, h, w] or a ViT token hook point with a patch grid; '"
                    + layer + "' is " + p.describe() + ". Try " + defaultLayer(model).name());
        }
        return p;
    }

    private static boolean usable(HookPoint p) {
        return (p.kind() == HookKind.CONV_CHANNELS && p.shape().dimension() == 3)
                || (p.kind() == HookKind.TOKENS && p.tokenLayout().isPresent() && p.shape().dimension() == 2);
    }

    /**
     * The usual hook point: for a ViT, the residual stream entering its last block (where the class
     * token still reads the patches); else the last convolutional one with more than one position.
     *
     * @throws AnalysisException if the model has neither (a black-box model has no hook points)
     */
    public static HookPoint defaultLayer(HookedModel model) throws AnalysisException {
        List<HookPoint> pre = model.hookPoints(HookRole.RESID_PRE).stream().filter(Cam::usable).toList();
        if (!pre.isEmpty()) {
            return pre.get(pre.size() - 1);
        }
        HookPoint best = null;
        for (HookPoint p : model.hookPoints()) {
            if (p.kind() == HookKind.CONV_CHANNELS && p.role() != HookRole.PATCH_EMBED && p.shape().dimension() == 3
                    && p.shape().get(1) * p.shape().get(2) > 1) {
                best = p;
            }
        }
        if (best != null) {
            return best;
        }
        for (HookPoint p : model.hookPoints()) {
            if (usable(p)) {
                best = p;
            }
        }
        if (best == null) {
            throw new AnalysisException("class activation maps need a convolutional or token hook point, and " + model.info().name()
                    + (model.hookable() ? " has none" : " is a black-box model without hook points")
                    + "; use saliency, integrated gradients, occlusion or RISE instead");
        }
        return best;
    }

    @Override
    public List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) throws AnalysisException {
        HookPoint p = hookPoint(model);
        String name = p.name();
        NDManager m = input.getManager();
        try (NDManager pass = m.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(pass);
            Gradients.Result r = Gradients.backward(model, x, Hooks.builder().gradient(name).build(),
                    o -> Tensors.selected(o.output(), classes).sum());
            NDArray a = grid(r.output().cache().get(name), p);
            NDArray g = grid(r.output().cache().gradient(name), p);
            NDArray cam = switch (variant) {
                case GRADCAM -> g.sum(new int[] {2, 3}, true).div(g.getShape().get(2) * g.getShape().get(3)).mul(a).sum(new int[] {1}).maximum(0);
                case HIRESCAM -> g.mul(a).sum(new int[] {1}).maximum(0);
                case GRADIENT_X_ACTIVATION -> g.mul(a).sum(new int[] {1});
                case GRADCAM_PLUS_PLUS -> {
                    NDArray g2 = g.mul(g);
                    NDArray g3 = g2.mul(g);
                    NDArray sumA = a.sum(new int[] {2, 3}, true);
                    NDArray aij = g2.div(g2.mul(2).add(sumA.mul(g3)).add(1e-6));
                    aij = NDArrays.where(g.neq(0), aij, aij.zerosLike());
                    NDArray weights = g.maximum(0).mul(aij).sum(new int[] {2, 3}, true);
                    yield weights.mul(a).sum(new int[] {1}).maximum(0);
                }
            };
            long[] s = cam.getShape().getShape();
            int h = (int) s[1];
            int w = (int) s[2];
            float[] all = cam.toFloatArray();
            List<PixelMap> out = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                out.add(new PixelMap(w, h, Tensors.row(all, classes.length, i)));
            }
            return out;
        }
    }

    /** A batched activation as {@code [N, C, h, w]}: as it is at a conv hook point, the patch tokens on their grid at a token one. */
    static NDArray grid(NDArray activation, HookPoint p) {
        if (p.kind() == HookKind.CONV_CHANNELS) {
            return activation;
        }
        TokenLayout t = p.tokenLayout().orElseThrow();
        long n = activation.getShape().get(0);
        long d = activation.getShape().get(2);
        return activation.get(":, {}:, :", t.prefixTokens()).transpose(0, 2, 1).reshape(n, d, t.rows(), t.cols());
    }
}

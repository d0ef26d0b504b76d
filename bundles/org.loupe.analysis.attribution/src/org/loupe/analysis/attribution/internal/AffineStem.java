package org.loupe.analysis.attribution.internal;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The longest start of a network that is affine: input to a resumable hook point with only
 * convolutions, batch norms in eval mode, sums and other affine maps in between (ResNet's
 * {@code conv1} and {@code bn1}, a ViT's patch embedding). Methods that sum input gradients over
 * many inputs use it twice: an affine map {@code h(z) = J z + c} sends {@code b + a (x - b)} to
 * {@code h(b) + a (h(x) - h(b))}, so the path points are made at the hook point without running
 * the stem, and {@code sum_i J^T g_i = J^T sum_i g_i}, so one backward pass through the stem
 * replaces one per point. The result is the same up to float rounding.
 *
 * <p>A hook point counts as the end of an affine stem when the stem maps an affine combination of
 * three random inputs (one coefficient negative) to the same combination of their images, within
 * {@code 1e-4} of the images' largest value; a ReLU, a max pool or a GELU on the way fails that by
 * far. The stem ends at the last hook point before the first that fails.
 */
public final class AffineStem {

    private static final double TOLERANCE = 1e-4;
    private static final float[] COEFFICIENTS = {0.35f, -0.6f, 1.25f};

    private final HookedModel model;
    private final String end;

    private AffineStem(HookedModel model, String end) {
        this.model = model;
        this.end = end;
    }

    /** The model's affine stem, if it has one ending at a resumable hook point. */
    public static Optional<AffineStem> of(HookedModel model, NDManager manager) {
        if (!model.hookable()) {
            return Optional.empty();
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray probe = probe(m, model.inputSpec());
            String end = null;
            for (HookPoint p : model.hookPoints()) {
                if (!p.resumable()) {
                    continue;
                }
                if (!affine(model, probe, p.name())) {
                    break;
                }
                end = p.name();
            }
            return end == null ? Optional.empty() : Optional.of(new AffineStem(model, end));
        } catch (RuntimeException e) {
            // a stem that cannot be probed is not used: the method runs whole passes, as without one
            return Optional.empty();
        }
    }

    /** The resumable hook point where the stem ends; passes resume there. */
    public String end() {
        return end;
    }

    /** The stem's output for {@code input} (no gradients kept), in {@code input}'s manager. */
    public NDArray apply(NDArray input) {
        return model.forward(input, Hooks.none(), Range.until(end)).output();
    }

    /**
     * {@code J^T g}: the input gradient of {@code sum(h(x) * g)} for the stem {@code h}, shaped like
     * an input batch of {@code g}'s rows. For an affine stem it does not depend on {@code x}, which
     * only gives the shape.
     */
    public NDArray pullBack(NDArray g, NDArray x) {
        NDArray leaf = x.duplicate();
        NDArray gradient = Gradients.of(List.of(leaf), () -> apply(leaf).mul(g).sum()).gradient(0);
        leaf.close();
        return gradient;
    }

    /** Three seeded Gaussian inputs and their affine combination: {@code [4, C, H, W]}. */
    private static NDArray probe(NDManager m, InputSpec spec) {
        int per = spec.channels() * spec.height() * spec.width();
        float[] data = new float[4 * per];
        Random random = new Random(23);  // seeded here: the engine's generator stays untouched
        for (int i = 0; i < 3 * per; i++) {
            data[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < per; i++) {
            float sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += COEFFICIENTS[j] * data[j * per + i];
            }
            data[3 * per + i] = sum;
        }
        return Owned.floats(m, data, new Shape(4, spec.channels(), spec.height(), spec.width()));
    }

    private static boolean affine(HookedModel model, NDArray probe, String point) {
        float[] out = model.forward(probe, Hooks.none(), Range.until(point)).output().toFloatArray();
        int per = out.length / 4;
        double scale = 0;
        double error = 0;
        for (int i = 0; i < per; i++) {
            double combined = 0;
            for (int j = 0; j < 3; j++) {
                combined += COEFFICIENTS[j] * out[j * per + i];
                scale = Math.max(scale, Math.abs(out[j * per + i]));
            }
            error = Math.max(error, Math.abs(combined - out[3 * per + i]));
        }
        return scale > 0 && error <= TOLERANCE * scale;
    }
}

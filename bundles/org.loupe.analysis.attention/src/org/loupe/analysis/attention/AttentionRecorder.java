package org.loupe.analysis.attention;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.Gradients;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.TokenLayout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Records the {@link AttentionStack}s of a batch in one forward pass (and one backward pass when
 * gradients are asked for): the model's attention-probability hook points, found by role
 * ({@link HookRole#ATTN_PROBS}) in block order, with the token layout they declare.
 *
 * @since 0.1
 */
public final class AttentionRecorder {

    private final HookedModel model;
    private final List<HookPoint> points;
    private final TokenLayout layout;
    private final int heads;
    private final int tokens;

    /**
     * The recorder for {@code model}.
     *
     * @throws AnalysisException if the model has no attention hook points or they declare no token layout
     */
    public AttentionRecorder(HookedModel model) throws AnalysisException {
        this.model = model;
        this.points = model.hookPoints(HookRole.ATTN_PROBS);
        if (points.isEmpty()) {
            throw new AnalysisException(model.info().name() + " has no attention hook points (it is not a vision transformer): "
                    + "attention rollout needs a ViT; open one, for example demo-vit");
        }
        HookPoint first = points.get(0);
        this.layout = first.tokenLayout().orElseThrow(() -> new AnalysisException("the attention hook point " + first.name() + " of "
                + model.info().name() + " declares no token layout (class token, patch grid), so its attention cannot be mapped onto the image"));
        Shape s = first.shape();
        this.heads = (int) s.get(0);
        this.tokens = (int) s.get(1);
    }

    /** The attention layers, in block order. */
    public List<HookPoint> layers() {
        return points;
    }

    /** The token layout. */
    public TokenLayout layout() {
        return layout;
    }

    /** The heads per layer. */
    public int heads() {
        return heads;
    }

    /**
     * What one batch gave.
     *
     * @param stacks  the attention of each image
     * @param targets the class each image's gradients were taken for (the predicted one unless asked), or the predicted class without gradients
     * @param probs   the softmax probability of that class for each image
     */
    public record Batch(List<AttentionStack> stacks, int[] targets, float[] probs) {
    }

    /**
     * Records the attention of {@code input} ({@code [N, C, H, W]}); with {@code gradients}, also
     * the gradient of the logit of {@code targetClass} (-1: each image's predicted class) with
     * respect to every attention matrix.
     */
    public Batch record(NDArray input, boolean gradients, int targetClass) {
        String[] names = points.stream().map(HookPoint::name).toArray(String[]::new);
        NDManager m = input.getManager();
        int n = (int) input.getShape().get(0);
        int[] targets = new int[n];
        ModelOutput out;
        if (gradients) {
            out = Gradients.backward(model, input, Hooks.builder().gradient(names).build(), o -> {
                NDArray logits = o.output().reshape(n, -1);
                int classes = (int) logits.getShape().get(1);
                fillTargets(logits, targetClass, targets);
                float[] onehot = new float[n * classes];
                for (int b = 0; b < n; b++) {
                    onehot[b * classes + targets[b]] = 1;
                }
                return logits.mul(m.create(onehot, new Shape(n, classes))).sum();
            }).output();
        } else {
            out = model.forward(input, Hooks.cache(names));
            fillTargets(out.output().reshape(n, -1), targetClass, targets);
        }
        NDArray logits = out.output().reshape(n, -1);
        float[] p = logits.softmax(1).toFloatArray();
        int classes = (int) logits.getShape().get(1);
        float[] probs = new float[n];
        for (int b = 0; b < n; b++) {
            probs[b] = p[b * classes + targets[b]];
        }
        int mat = heads * tokens * tokens;
        float[][] att = new float[n][points.size() * mat];
        float[][] grad = gradients ? new float[n][points.size() * mat] : null;
        for (int l = 0; l < points.size(); l++) {
            FloatBuffer a = floats(out.cache().get(names[l]));
            FloatBuffer g = gradients ? floats(out.cache().gradient(names[l])) : null;
            for (int b = 0; b < n; b++) {
                a.get(b * mat, att[b], l * mat, mat);
                if (gradients) {
                    g.get(b * mat, grad[b], l * mat, mat);
                }
            }
        }
        List<String> layerNames = List.of(names);
        List<AttentionStack> stacks = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            stacks.add(new AttentionStack(layout, layerNames, heads, tokens, att[b], gradients ? grad[b] : null));
        }
        return new Batch(stacks, targets, probs);
    }

    /** The array's values, read in place where the engine allows (one copy into the stacks, not two). */
    private static FloatBuffer floats(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static void fillTargets(NDArray logits, int targetClass, int[] targets) {
        int classes = (int) logits.getShape().get(1);
        if (targetClass >= classes) {
            throw new IllegalArgumentException("target class " + targetClass + " is out of range: the model has " + classes + " classes (0.."
                    + (classes - 1) + "), or use -1 for the predicted class");
        }
        if (targetClass >= 0) {
            java.util.Arrays.fill(targets, targetClass);
            return;
        }
        long[] best = logits.argMax(1).toLongArray();
        for (int b = 0; b < targets.length; b++) {
            targets[b] = (int) best[b];
        }
    }
}

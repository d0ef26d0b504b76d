package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.loupe.analysis.attention.AttentionRecorder;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Rollout;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.TokenLayout;

import ai.djl.ndarray.NDArray;

/**
 * An attention method of a vision transformer as an {@link Explainer}: the map over the patch
 * grid that a function of the recorded attention (rollout, gradient rollout, raw attention) gives.
 *
 * @since 0.1
 */
public final class AttentionExplainer implements Explainer {

    private final String name;
    private final boolean gradients;
    private final Function<AttentionStack, float[]> map;

    private AttentionExplainer(String name, boolean gradients, Function<AttentionStack, float[]> map) {
        this.name = name;
        this.gradients = gradients;
        this.map = map;
    }

    /** The attention methods of Loupe's attention analyses with their defaults, for a model with attention hook points. */
    public static List<Explainer> all(HookedModel model) throws AnalysisException {
        int last = new AttentionRecorder(model).layers().size() - 1;
        return List.of(new AttentionExplainer("attention rollout", false, s -> Rollout.rollout(s, Fusion.MEAN, 0, 0, -1)),
                new AttentionExplainer("attention rollout, discard 0.9", false, s -> Rollout.rollout(s, Fusion.MEAN, 0.9, 0, -1)),
                new AttentionExplainer("gradient rollout", true, s -> Rollout.gradRollout(s, 0, -1)),
                new AttentionExplainer("raw attention, last layer", false, s -> Rollout.raw(s, last, -1, -1)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean needsGradients() {
        return gradients;
    }

    @Override
    public List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) throws AnalysisException {
        AttentionRecorder recorder = new AttentionRecorder(model);
        TokenLayout layout = recorder.layout();
        int n = classes.length;
        List<PixelMap> out = new ArrayList<>(n);
        AttentionRecorder.Batch all = recorder.record(input, gradients, -1);
        boolean predicted = !gradients || java.util.Arrays.equals(all.targets(), classes);
        for (int i = 0; i < n; i++) {
            AttentionStack s;
            if (predicted) {
                s = all.stacks().get(i);
            } else {
                try (NDArray one = input.get(i).expandDims(0)) {
                    s = recorder.record(one, true, classes[i]).stacks().get(0);
                }
            }
            out.add(new PixelMap(layout.cols(), layout.rows(), map.apply(s)));
        }
        return out;
    }
}

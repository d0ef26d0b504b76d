package org.loupe.analysis.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.loupe.analysis.quality.Baselines;
import org.loupe.analysis.quality.Explainer;
import org.loupe.analysis.quality.PixelMap;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;

/** The random-map and centre-bias baselines as explainers that ignore the model, for the randomisation check. */
final class BaselineExplainer implements Explainer {

    private final Random random;

    private BaselineExplainer(Random random) {
        this.random = random;
    }

    /** Fresh uniform noise at every call, drawn from {@code seed}. */
    static Explainer random(long seed) {
        return new BaselineExplainer(new Random(seed));
    }

    /** The centre-bias map, the same at every call. */
    static Explainer centre() {
        return new BaselineExplainer(null);
    }

    @Override
    public String name() {
        return random == null ? Leaderboard.CENTRE : Leaderboard.RANDOM;
    }

    @Override
    public boolean needsGradients() {
        return false;
    }

    @Override
    public List<PixelMap> explain(HookedModel model, NDArray input, int[] classes) {
        int h = (int) input.getShape().get(2);
        int w = (int) input.getShape().get(3);
        List<PixelMap> out = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            out.add(random == null ? Baselines.centreBias(w, h) : Baselines.random(w, h, random));
        }
        return out;
    }
}

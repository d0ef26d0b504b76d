package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.blocks.BlockModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * A model's top layers with random weights, for Adebayo et al.'s model randomisation check: a
 * view of the model ({@link #model()}) whose forward passes use random copies of those layers'
 * weights, while the model itself is never changed, so the workbench and analyses running on it
 * meanwhile keep seeing the trained weights. Close it (try-with-resources) to free the random
 * weights. Layers are the model's parameter groups (one per DJL block: weight and bias together)
 * in reverse forward order, so "the top {@code k} layers" cascades from the output down as in the
 * paper. Each randomised tensor is drawn from a normal distribution with the original's mean and
 * standard deviation (the scale of the layer stays, the learned structure goes); BatchNorm's
 * running statistics are kept.
 *
 * @since 0.1
 */
public final class WeightRandomisation implements AutoCloseable {

    private final NDManager manager;
    private final Map<Parameter, NDArray> random = new java.util.IdentityHashMap<>();
    private BlockModel view;

    private WeightRandomisation(NDManager manager) {
        this.manager = manager;
    }

    /**
     * The layers of {@code model} from the top (output) down, each with its parameters.
     *
     * @throws AnalysisException if the model's weights are not reachable (black-box TorchScript models)
     */
    public static List<Map.Entry<String, List<Parameter>>> layers(HookedModel model) throws AnalysisException {
        if (!(model instanceof BlockModel b)) {
            throw new AnalysisException("The model randomisation check needs the model's weights, and " + model.info().name()
                    + " does not expose them (a black-box TorchScript model): open the model from its weights (safetensors, .pth or a "
                    + "built-in architecture) to run this check");
        }
        Map<String, List<Parameter>> groups = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : b.block().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR || !p.getValue().isInitialized()) {
                continue;
            }
            String name = p.getKey();
            int cut = name.lastIndexOf('_');
            groups.computeIfAbsent(cut > 0 ? name.substring(0, cut) : name, k -> new ArrayList<>()).add(p.getValue());
        }
        List<Map.Entry<String, List<Parameter>>> out = new ArrayList<>(groups.entrySet());
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Randomises the top {@code count} layers of {@code model} in a view of it; {@code model} is
     * not changed.
     *
     * @param manager where the random weights live until {@link #close()} (a sub-manager is used)
     * @throws AnalysisException if the weights are not reachable, or {@code count} is out of range
     */
    public static WeightRandomisation randomise(HookedModel model, int count, Random random, NDManager manager) throws AnalysisException {
        List<Map.Entry<String, List<Parameter>>> layers = layers(model);
        if (count < 0 || count > layers.size()) {
            throw new AnalysisException("can randomise 0 to " + layers.size() + " layers of " + model.info().name() + ", not " + count);
        }
        WeightRandomisation r = new WeightRandomisation(manager.newSubManager());
        try {
            for (int l = 0; l < count; l++) {
                for (Parameter p : layers.get(l).getValue()) {
                    r.random.put(p, r.randomLike(p.getArray(), random));
                }
            }
            r.view = ((BlockModel) model).withWeights(r.random);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** The model with the randomised layers; valid until {@link #close()}. */
    public HookedModel model() {
        return view;
    }

    /** An array shaped like {@code original}, normal with its mean and standard deviation, in PyTorch-owned memory. */
    private NDArray randomLike(NDArray original, Random random) {
        float[] v = original.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(var / v.length) : Math.abs(mean);
        float[] fresh = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            fresh[i] = (float) (mean + sd * random.nextGaussian());
        }
        try (NDArray created = manager.create(fresh, original.getShape())) {
            NDArray owned = created.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    /** Frees the random weights; the view must not be used any more. */
    @Override
    public void close() {
        if (view != null) {
            view.close();
        }
        random.clear();
        manager.close();
    }
}

package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.loupe.core.analysis.AnalysisException;
import org.loupe.core.model.HookedModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

/**
 * The model randomisation sanity check (Adebayo et al. 2018; Quantus' {@code
 * ModelParameterRandomisation}, layer order top-down): the weights are randomised cascading from
 * the top layer down ({@link WeightRandomisation}), the maps are made again after each step, and
 * each is compared with the map of the trained model by Spearman's rank correlation (Quantus'
 * default similarity). A method whose maps explain the model must change: its similarity falls
 * towards 0. A method that ignores the weights (an edge detector) keeps similarity 1 and fails.
 * The model itself is never changed: each step explains a view of it with random weights
 * ({@link WeightRandomisation}).
 *
 * @since 0.1
 */
public final class RandomisationCheck {

    /**
     * What the check found.
     *
     * @param layers     the names of the layers randomised, top first
     * @param similarity the mean (over images) Spearman correlation with the trained model's maps after
     *                   randomising the top {@code k + 1} layers, for each {@code k}
     * @param threshold  the similarity a method must fall below when every layer is random
     */
    public record Outcome(List<String> layers, double[] similarity, double threshold) {

        /** The similarity with every layer randomised. */
        public double finalSimilarity() {
            return similarity[similarity.length - 1];
        }

        /** Whether the maps changed enough: the final similarity is below the threshold. */
        public boolean passes() {
            return finalSimilarity() < threshold;
        }
    }

    private RandomisationCheck() {
    }

    /**
     * Runs the check.
     *
     * @param cascade   true: after each layer from the top (one explanation per layer); false: only with
     *                  every layer random (one explanation)
     * @param threshold the similarity below which the method passes (the documentation uses 0.5)
     * @throws AnalysisException if the weights are not reachable or the explainer fails
     */
    public static Outcome run(HookedModel model, Explainer explainer, NDArray input, int[] classes, boolean cascade, double threshold, long seed,
            NDManager manager) throws AnalysisException {
        List<Map.Entry<String, List<Parameter>>> layers = WeightRandomisation.layers(model);
        if (layers.isEmpty()) {
            throw new AnalysisException(model.info().name() + " has no weights to randomise");
        }
        List<PixelMap> trained = explainer.explain(model, input, classes);
        List<String> names = new ArrayList<>();
        List<Double> sims = new ArrayList<>();
        int from = cascade ? 1 : layers.size();
        for (int k = from; k <= layers.size(); k++) {
            List<PixelMap> random;
            try (WeightRandomisation r = WeightRandomisation.randomise(model, k, new Random(seed), manager)) {
                random = explainer.explain(r.model(), input, classes);
            }
            double s = 0;
            for (int i = 0; i < trained.size(); i++) {
                double c = Similarity.spearman(trained.get(i).values(), random.get(i).values());
                s += Double.isNaN(c) ? (trained.get(i).equals(random.get(i)) ? 1 : 0) : c;
            }
            names.add(layers.get(k - 1).getKey());
            sims.add(s / trained.size());
        }
        return new Outcome(cascade ? names : List.of("all " + layers.size() + " layers"), sims.stream().mapToDouble(Double::doubleValue).toArray(),
                threshold);
    }
}

package org.loupe.analysis.quality;

import java.util.List;

/**
 * Class scores of a batch of images: what the faithfulness metrics (deletion, insertion,
 * MuFidelity, ROAD) ask the model after each perturbation. A small interface so that the metrics
 * can be checked against a hand-made scorer in closed form, without a network; {@link ModelClassifier}
 * is the one backed by a model.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Classifier {

    /**
     * The scores of every class for each image: row {@code i} belongs to {@code images.get(i)};
     * higher means more of that class (the model classifier gives softmax probabilities).
     */
    float[][] scores(List<ImageArray> images);

    /** The score of class {@code target} for each image. */
    default double[] score(List<ImageArray> images, int target) {
        float[][] s = scores(images);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            if (target < 0 || target >= s[i].length) {
                throw new IllegalArgumentException("class " + target + " is out of range: the model has " + s[i].length + " classes (0.."
                        + (s[i].length - 1) + ")");
            }
            out[i] = s[i][target];
        }
        return out;
    }

    /** The index of the highest score of {@code row} (the first, if several). */
    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}

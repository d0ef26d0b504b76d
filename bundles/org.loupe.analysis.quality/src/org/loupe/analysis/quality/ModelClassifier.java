package org.loupe.analysis.quality;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A {@link Classifier} that runs a model: plain forward passes ({@link HookedModel#forward} with
 * no hooks) in chunks of at most {@code batchSize} images, scores = the softmax probabilities of
 * the output (the probability of the class, as in Petsiuk et al.'s deletion and insertion; Xplique
 * uses whatever the model outputs, so there a softmax must be added to get the same numbers).
 *
 * @since 0.1
 */
public final class ModelClassifier implements Classifier {

    private final HookedModel model;
    private final NDManager manager;
    private final int batchSize;

    /**
     * @param model     the model
     * @param manager   a manager for the passes' arrays (a sub-manager is opened and closed per chunk)
     * @param batchSize images per forward pass, at least 1
     */
    public ModelClassifier(HookedModel model, NDManager manager, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size is the number of images per forward pass, at least 1; got " + batchSize);
        }
        this.model = model;
        this.manager = manager;
        this.batchSize = batchSize;
    }

    @Override
    public float[][] scores(List<ImageArray> images) {
        List<float[]> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += batchSize) {
            List<ImageArray> chunk = images.subList(from, Math.min(images.size(), from + batchSize));
            try (NDManager m = manager.newSubManager()) {
                NDArray input = ImageArray.toBatch(m, chunk);
                NDArray logits = model.forward(input, Hooks.none()).output().reshape(chunk.size(), -1);
                int classes = (int) logits.getShape().get(1);
                float[] p = logits.softmax(1).toFloatArray();
                for (int i = 0; i < chunk.size(); i++) {
                    float[] row = new float[classes];
                    System.arraycopy(p, i * classes, row, 0, classes);
                    out.add(row);
                }
            }
        }
        return out.toArray(float[][]::new);
    }
}

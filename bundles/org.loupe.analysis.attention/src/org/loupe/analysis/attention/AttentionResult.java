package org.loupe.analysis.attention;

import java.util.List;
import java.util.Objects;

import org.loupe.core.images.RasterImage;
import org.loupe.core.result.Result;

/**
 * The attention of a batch of images, kept whole so that a view can recompute any map: each image
 * with its {@link AttentionStack}, the class the gradients were taken for, and the settings the
 * analysis was run with (the view's starting point). Stored by its codec in the run folder (the
 * attention as {@code .npy} files, bit-exact) and reopened after a restart; the attention editor
 * renders it.
 *
 * @param title         the title
 * @param images        the images as the model saw them (after resizing)
 * @param stacks        the attention of each image, in the same order
 * @param targetClasses the class each image's gradients are taken for (the predicted class unless one was asked for)
 * @param labels        a caption per image (for example the target class's label and its probability)
 * @param method        the method the analysis showed
 * @param fusion        head fusion for rollout
 * @param discard       discard ratio for rollout, in {@code [0, 1)}
 * @param startLayer    first layer of the rollouts
 * @param layer         layer of raw attention
 * @param head          head of raw attention, -1 for the mean over heads
 * @param token         the query token, -1 for the default (see {@link Rollout})
 *
 * @since 0.1
 */
public record AttentionResult(String title, List<RasterImage> images, List<AttentionStack> stacks, List<Integer> targetClasses, List<String> labels,
        Method method, Fusion fusion, double discard, int startLayer, int layer, int head, int token) implements Result {

    /** Validates and copies the lists. */
    public AttentionResult {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(fusion, "fusion");
        images = List.copyOf(images);
        stacks = List.copyOf(stacks);
        targetClasses = List.copyOf(targetClasses);
        labels = List.copyOf(labels);
        if (images.isEmpty() || stacks.size() != images.size() || targetClasses.size() != images.size() || labels.size() != images.size()) {
            throw new IllegalArgumentException("an attention result needs at least one image and as many stacks, target classes and labels as images, got "
                    + images.size() + ", " + stacks.size() + ", " + targetClasses.size() + " and " + labels.size());
        }
    }

    /** The number of images. */
    public int size() {
        return images.size();
    }

    /** The map of image {@code i} with this result's settings, over the patch grid (see {@link Rollout#map}). */
    public float[] map(int i) {
        return Rollout.map(stacks.get(i), method, fusion, discard, startLayer, layer, head, token);
    }
}

package org.loupe.stimuli.synth;

import java.util.Map;

import org.loupe.core.images.RasterImage;

/**
 * One drawn stimulus before it becomes a {@link org.loupe.core.images.SourceImage}: the pixels, a
 * label (or null) and ground truth beyond the parameters (derived geometry, a mask).
 *
 * @param image the pixels
 * @param label a class label, or null
 * @param truth derived ground truth; values must not be null
 *
 * @since 0.1
 */
public record Drawn(RasterImage image, String label, Map<String, Object> truth) {

    /** Copies the ground truth. */
    public Drawn {
        truth = Map.copyOf(truth);
    }
}

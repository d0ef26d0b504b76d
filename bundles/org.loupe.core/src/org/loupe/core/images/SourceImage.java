package org.loupe.core.images;

import java.util.Map;

/**
 * One image from an {@link ImageSource}, with what is known about it.
 *
 * @param name        a stable name (file path relative to the folder, or generator parameters)
 * @param image       the pixels
 * @param label       the class label, or null
 * @param groundTruth anything else known exactly (parameters of a stimulus, a bounding box, ...)
 *
 * @since 0.1
 */
public record SourceImage(String name, RasterImage image, String label, Map<String, Object> groundTruth) {

    /** Copies the ground truth. */
    public SourceImage {
        groundTruth = Map.copyOf(groundTruth);
    }
}

package org.loupe.core.result;

import org.loupe.core.images.RasterImage;

/**
 * One image, such as a feature visualisation.
 *
 * @param title   the title
 * @param image   the image
 * @param caption a line under the image (may be empty)
 *
 * @since 0.1
 */
public record ImageResult(String title, RasterImage image, String caption) implements Result {
}

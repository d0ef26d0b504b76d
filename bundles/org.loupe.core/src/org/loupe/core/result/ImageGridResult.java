package org.loupe.core.result;

import java.util.List;

import org.loupe.core.images.RasterImage;

/**
 * Images in a grid, each with a caption: dataset examples, stimuli, one visualisation per unit.
 *
 * @param title    the title
 * @param images   the images, row by row
 * @param captions one caption per image (may be empty strings)
 * @param columns  images per row
 *
 * @since 0.1
 */
public record ImageGridResult(String title, List<RasterImage> images, List<String> captions, int columns) implements Result {

    /** Validates and copies. */
    public ImageGridResult {
        images = List.copyOf(images);
        captions = List.copyOf(captions);
        if (captions.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + captions.size() + " captions");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
    }
}

package org.loupe.core.result;

import org.loupe.core.images.RasterImage;

/**
 * One picture of a {@link GalleryResult} with what it shows: a caption, an optional value (the
 * activation it reached, a score), an optional unit (the unit it is an example or a visualisation
 * of) and an optional detail (what a click on it shows: the large picture with its curve and
 * parameters, for instance).
 *
 * @param image   the picture
 * @param caption the caption (may be empty)
 * @param value   the value shown with it, or null
 * @param unit    the unit it shows, or null
 * @param detail  the result shown when it is opened, or null
 *
 * @since 0.1
 */
public record GalleryItem(RasterImage image, String caption, Double value, UnitRef unit, Result detail) {

    /** Validates. */
    public GalleryItem {
        if (image == null) {
            throw new IllegalArgumentException("a gallery item needs an image");
        }
        caption = caption == null ? "" : caption;
    }

    /** An item without a detail. */
    public GalleryItem(RasterImage image, String caption, Double value, UnitRef unit) {
        this(image, caption, value, unit, null);
    }
}

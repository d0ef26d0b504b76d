package org.loupe.core.analysis;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the analyst pointed at when starting an analysis: a hook point, a unit there, and images.
 * Any of them may be absent.
 *
 * @param hookPoint the hook point's name, or null
 * @param unit      the unit index at the hook point (channel, feature, head, class), or null
 * @param images    an image file, a folder, or an image-source spec ({@code noise:count=8}), or null for
 *                  the analysis' default; in a run's provenance, the images that were used
 *
 * @since 0.1
 */
public record Selection(String hookPoint, Integer unit, String images) {

    /** Nothing selected. */
    public static final Selection NONE = new Selection(null, null, null);

    /** A hook point only. */
    public static Selection of(String hookPoint) {
        return new Selection(hookPoint, null, null);
    }

    /** The hook point, if selected. */
    public Optional<String> optionalHookPoint() {
        return Optional.ofNullable(hookPoint);
    }

    /** The unit, if selected. */
    public OptionalInt optionalUnit() {
        return unit == null ? OptionalInt.empty() : OptionalInt.of(unit);
    }

    /** The images, if selected. */
    public Optional<String> optionalImages() {
        return Optional.ofNullable(images);
    }

    /** A copy with another unit. */
    public Selection withUnit(Integer newUnit) {
        return new Selection(hookPoint, newUnit, images);
    }

    /** A copy with other images. */
    public Selection withImages(String newImages) {
        return new Selection(hookPoint, unit, newImages);
    }
}

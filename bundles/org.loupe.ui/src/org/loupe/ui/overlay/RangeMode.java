package org.loupe.ui.overlay;

import java.util.Locale;

/**
 * How the value range a colormap spans is chosen for a map in the {@link OverlayEditor}.
 *
 * @since 0.1
 */
public enum RangeMode {
    /** From the map's smallest to its largest value (each map its own). */
    AUTO,
    /** From {@code -m} to {@code m}, {@code m} the map's largest absolute value: 0 sits in the middle (signed attributions). */
    SYMMETRIC,
    /** The same fixed {@code [min, max]} for every map, so that maps compare by colour. */
    FIXED;

    /** The name shown in selectors: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

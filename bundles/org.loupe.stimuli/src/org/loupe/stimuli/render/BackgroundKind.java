package org.loupe.stimuli.render;

import java.util.Locale;

/**
 * What fills the image behind a figure; see {@link Background} for how each kind is drawn.
 *
 * @since 0.1
 */
public enum BackgroundKind {
    /** One colour. */
    PLAIN,
    /** A linear ramp between two colours in a random direction. */
    GRADIENT,
    /** Independent uniform noise per pixel and channel around a colour. */
    NOISE,
    /** A sinusoidal grating between two colours, random frequency, orientation and phase. */
    GRATING;

    /** The lower-case name used in parameters and ground truth. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

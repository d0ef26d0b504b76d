package org.loupe.analysis.causal;

/**
 * What an ablated site is replaced by.
 *
 * @since 0.1
 */
public enum Replacement {
    /** Zero (zero ablation). */
    ZERO,
    /** The site's mean over the image set (mean ablation): the unit's typical value, without the image's information. */
    MEAN,
    /** The site's value for another image of the set, drawn with the run's seed (resample ablation). */
    RESAMPLE
}

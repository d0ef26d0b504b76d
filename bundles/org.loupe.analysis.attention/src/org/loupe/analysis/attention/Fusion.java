package org.loupe.analysis.attention;

/**
 * How attention rollout fuses the heads of one layer into one matrix before it multiplies the
 * layers: the mean over heads (Abnar &amp; Zuidema), or the element-wise maximum or minimum
 * (vit-explain's variants).
 *
 * @since 0.1
 */
public enum Fusion {
    /** The mean over heads. */
    MEAN,
    /** The element-wise maximum over heads. */
    MAX,
    /** The element-wise minimum over heads. */
    MIN;

    /** The lower-case name used in parameters ({@code mean}, {@code max}, {@code min}). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

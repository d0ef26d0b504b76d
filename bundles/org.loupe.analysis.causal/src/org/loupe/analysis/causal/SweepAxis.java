package org.loupe.analysis.causal;

/**
 * What a sweep or a patching analysis steps through at a hook point, one at a time.
 *
 * @since 0.1
 */
public enum SweepAxis {
    /** Units along the hook point's unit axis: channels (conv), features (tokens), heads (attention), elements (vector). */
    UNITS,
    /** Attention heads: of an attention hook point, or the head-sized feature groups of a token hook point in a transformer block. */
    HEADS,
    /** Token positions of a token or attention hook point. */
    TOKENS,
    /** Spatial positions (y, x) of a conv hook point, every channel at once. */
    POSITIONS
}

package org.loupe.core.model;

/**
 * What a hook point holds, which tells analyses how to read it. Shapes are given without the batch
 * dimension; the unit axis is the axis (batch included) along which one "unit" (channel, neuron,
 * head) is selected.
 *
 * @since 0.1
 */
public enum HookKind {
    /** Convolutional feature map {@code [C, H, W]}; a unit is a channel. */
    CONV_CHANNELS("conv", 1),
    /** Token sequence {@code [T, D]} (a residual stream, an MLP hidden layer); a unit is a feature. */
    TOKENS("tokens", 2),
    /** Attention probabilities {@code [heads, T, T]}; a unit is a head. */
    ATTENTION("attention", 1),
    /** A flat vector {@code [D]} (pooled features, a hidden layer); a unit is an element. */
    VECTOR("vector", 1),
    /** Class scores {@code [classes]}; a unit is a class. */
    LOGITS("logits", 1);

    private final String id;
    private final int unitAxis;

    HookKind(String id, int unitAxis) {
        this.id = id;
        this.unitAxis = unitAxis;
    }

    /** The short name used in extension declarations ({@code appliesTo}) and on the command line. */
    public String id() {
        return id;
    }

    /** The axis of a batched activation along which units are indexed. */
    public int unitAxis() {
        return unitAxis;
    }

    /** Looks a kind up by its short name; throws with the list of known names if there is none. */
    public static HookKind fromId(String id) {
        for (HookKind k : values()) {
            if (k.id.equalsIgnoreCase(id.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown hook-point kind '" + id + "'; known kinds: conv, tokens, attention, vector, logits");
    }
}

package org.loupe.analysis.attention;

/**
 * Which attention map an analysis shows.
 *
 * @since 0.1
 */
public enum Method {
    /** Attention rollout (Abnar &amp; Zuidema 2020): fused heads, discard, {@code (A + I) / 2}, rows normalised, product over layers. */
    ROLLOUT("rollout"),
    /** Gradient rollout (Chefer et al. 2021): {@code R += mean_heads((grad A * A)+) @ R}, class-specific. */
    GRAD_ROLLOUT("grad-rollout"),
    /** The raw attention of one layer and one head (or the mean over heads). */
    RAW("raw");

    private final String id;

    Method(String id) {
        this.id = id;
    }

    /** The name used in parameters and on the command line ({@code rollout}, {@code grad-rollout}, {@code raw}). */
    public String id() {
        return id;
    }

    /**
     * The method called {@code id} (as {@link #id()}, case-insensitive; {@code grad_rollout} works too).
     *
     * @throws IllegalArgumentException naming the methods there are
     */
    public static Method of(String id) {
        for (Method m : values()) {
            if (m.id.equalsIgnoreCase(id) || m.name().equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown attention method '" + id + "': use rollout, grad-rollout or raw");
    }
}

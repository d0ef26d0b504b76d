package org.loupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The standard interventions. Each acts on a set of {@link Sites} (units along the hook point's unit
 * axis when given as {@code int...}; positions, tokens, heads, per-row choices otherwise) and leaves
 * the rest of the activation as it is. Every temporary is made in the activation's manager and closed
 * before the intervention returns, so a loop of passes does not grow the memory of the reference's
 * or the model's manager. Gradients flow through the untouched elements.
 *
 * @since 0.1
 */
public final class Interventions {

    private Interventions() {
    }

    /** Sets the given units to zero (zero ablation). */
    public static Intervention zero(int... units) {
        return zero(Sites.units(units));
    }

    /** Sets the sites to zero. */
    public static Intervention zero(Sites sites) {
        return (a, p) -> {
            try (NDArray keep = keep(a, p, sites)) {
                return a.mul(keep);
            }
        };
    }

    /**
     * Replaces the given units by a reference activation (mean ablation when {@code reference} is a
     * dataset mean; resample ablation when it comes from another input). {@code reference} has the
     * activation's shape without the batch dimension, with a batch of 1, or the activation's shape.
     */
    public static Intervention replace(NDArray reference, int... units) {
        return replace(reference, Sites.units(units));
    }

    /** Replaces the sites by the values of {@code reference} there (shapes as in {@link #replace(NDArray, int...)}). */
    public static Intervention replace(NDArray reference, Sites sites) {
        return (a, p) -> blend(a, p, sites, reference);
    }

    /** Replaces the whole activation by one recorded in another run (activation patching). */
    public static Intervention patch(NDArray source) {
        return (a, p) -> {
            if (!source.getShape().equals(a.getShape())) {
                throw new IllegalArgumentException("cannot patch " + p.name() + ": source has shape " + source.getShape()
                        + " but the activation has " + a.getShape());
            }
            return source;
        };
    }

    /**
     * Patches the sites (positions, tokens, heads, units) from {@code source}, an activation of the
     * same hook point recorded in another run (the clean run, in activation patching).
     */
    public static Intervention patch(NDArray source, Sites sites) {
        return (a, p) -> blend(a, p, sites, source);
    }

    /** Adds {@code scale * direction} (steering); {@code direction} broadcasts against the activation. */
    public static Intervention add(NDArray direction, float scale) {
        return (a, p) -> {
            checkBroadcast(direction, a, p);
            try (NDArray step = Scalars.mul(direction, scale)) {
                return a.add(step);
            }
        };
    }

    /** Adds {@code scale * direction} at the sites only. */
    public static Intervention add(NDArray direction, float scale, Sites sites) {
        return (a, p) -> {
            checkBroadcast(direction, a, p);
            try (NDArray m = sites.mask(a, p); NDArray step = m.mul(direction); NDArray scaled = Scalars.mul(step, scale)) {
                return a.add(scaled);
            }
        };
    }

    /** Multiplies the given units by {@code factor}. */
    public static Intervention scale(float factor, int... units) {
        return scale(factor, Sites.units(units));
    }

    /** Multiplies the sites by {@code factor}. */
    public static Intervention scale(float factor, Sites sites) {
        return (a, p) -> {
            try (NDArray m = sites.mask(a, p); NDArray f = Scalars.mul(m, factor - 1f)) {
                f.addi(1f);
                return a.mul(f);
            }
        };
    }

    /** {@code 1 - mask}: 1 where the activation is kept. */
    private static NDArray keep(NDArray a, HookPoint p, Sites sites) {
        try (NDArray m = sites.mask(a, p)) {
            NDArray k = m.neg();
            k.addi(1f);
            return k;
        }
    }

    /** {@code a * (1 - m) + m * reference}, every temporary in {@code a}'s manager and closed. */
    private static NDArray blend(NDArray a, HookPoint p, Sites sites, NDArray reference) {
        checkBroadcast(reference, a, p);
        try (NDArray m = sites.mask(a, p); NDArray k = m.neg()) {
            k.addi(1f);
            try (NDArray kept = a.mul(k); NDArray put = m.mul(reference)) {
                return kept.add(put);
            }
        }
    }

    /** Checks that {@code b} broadcasts to {@code a}'s shape without changing it. */
    private static void checkBroadcast(NDArray b, NDArray a, HookPoint p) {
        Shape as = a.getShape();
        Shape bs = b.getShape();
        boolean ok = bs.dimension() <= as.dimension();
        for (int i = 1; ok && i <= bs.dimension(); i++) {
            long bd = bs.get(bs.dimension() - i);
            ok = bd == 1 || bd == as.get(as.dimension() - i);
        }
        if (!ok) {
            throw new IllegalArgumentException("an array of shape " + bs + " does not fit " + p.name() + "'s activation " + as
                    + " (give " + as.slice(1) + ", [1, ...] or the full batched shape)");
        }
    }
}

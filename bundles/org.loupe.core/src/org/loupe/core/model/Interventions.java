package org.loupe.core.model;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The standard interventions. Units are indexed along the hook point's unit axis (channel, feature,
 * head, class; see {@link HookKind#unitAxis()}).
 */
public final class Interventions {

    private Interventions() {
    }

    /** Sets the given units to zero (zero ablation). */
    public static Intervention zero(int... units) {
        int[] u = units.clone();
        return (a, p) -> a.mul(unitMask(a, p, u, 0f, 1f));
    }

    /**
     * Replaces the given units by a reference activation (mean ablation when {@code reference} is a
     * dataset mean; resample ablation when it comes from another input). {@code reference} has the
     * activation's shape without the batch dimension, or with a batch of 1.
     */
    public static Intervention replace(NDArray reference, int... units) {
        int[] u = units.clone();
        return (a, p) -> {
            NDArray keep = unitMask(a, p, u, 0f, 1f);
            NDArray ref = reference;
            if (reference.getShape().dimension() != a.getShape().dimension()) {
                ref = reference.expandDims(0);
                ref.attach(a.getManager());
            }
            return a.mul(keep).add(ref.mul(keep.neg().add(1f)));
        };
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

    /** Adds {@code scale * direction} (steering); {@code direction} broadcasts against the activation. */
    public static Intervention add(NDArray direction, float scale) {
        return (a, p) -> {
            NDArray step = direction.mul(scale);
            step.attach(a.getManager());
            return a.add(step);
        };
    }

    /** Multiplies the given units by {@code factor}. */
    public static Intervention scale(float factor, int... units) {
        int[] u = units.clone();
        return (a, p) -> a.mul(unitMask(a, p, u, factor, 1f));
    }

    /** A mask of the activation's rank that is {@code on} at the units and {@code off} elsewhere along the unit axis. */
    private static NDArray unitMask(NDArray a, HookPoint p, int[] units, float on, float off) {
        int axis = p.kind().unitAxis();
        long n = a.getShape().get(axis);
        float[] m = new float[(int) n];
        Arrays.fill(m, off);
        for (int u : units) {
            if (u < 0 || u >= n) {
                throw new IllegalArgumentException("unit " + u + " is out of range for " + p.name() + " (0.." + (n - 1) + ")");
            }
            m[u] = on;
        }
        long[] dims = new long[a.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[axis] = n;
        return a.getManager().create(m, new Shape(dims)).toType(a.getDataType(), false);
    }
}

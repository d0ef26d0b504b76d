package org.loupe.core.model;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Which elements of a hook point's activation an intervention acts on: units, spatial positions,
 * tokens, heads, or any intersection, union or per-row choice of these. A site set becomes a 0/1
 * mask that broadcasts against the batched activation; {@link Interventions} blends the
 * replacement in where the mask is 1.
 *
 * <p>{@link #perRow} and {@link #unitPerRow} give each batch row its own sites: row {@code i}
 * ablates unit {@code u_i}, which is what makes a sweep over a layer's units one batched pass.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sites {

    /**
     * The mask of these sites for {@code activation}: a float array in the activation's manager,
     * of the activation's rank, 1 at the sites and 0 elsewhere, broadcastable to the activation. The
     * caller closes it.
     *
     * @throws IllegalArgumentException if a site is out of range or does not fit the hook point's kind
     */
    NDArray mask(NDArray activation, HookPoint point);

    /** Every element. */
    static Sites all() {
        return (a, p) -> {
            long[] dims = new long[a.getShape().dimension()];
            Arrays.fill(dims, 1);
            return a.getManager().ones(new Shape(dims), a.getDataType());
        };
    }

    /** The given units along the hook point's unit axis (channels, features, heads, classes). */
    static Sites units(int... units) {
        int[] u = units.clone();
        return (a, p) -> axisMask(a, p.kind().unitAxis(), u, "unit", p);
    }

    /** The units {@code from} (inclusive) to {@code to} (exclusive), e.g. the features of one head. */
    static Sites unitRange(int from, int to) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a unit range needs 0 <= from < to, got " + from + ".." + to);
        }
        return units(java.util.stream.IntStream.range(from, to).toArray());
    }

    /** Spatial positions {@code (y, x)} of a conv hook point, across all channels. */
    static Sites positions(int[]... yx) {
        int[][] pos = Arrays.stream(yx).map(int[]::clone).toArray(int[][]::new);
        return (a, p) -> {
            requireConv(p, "positions");
            long h = a.getShape().get(2);
            long w = a.getShape().get(3);
            float[] m = new float[(int) (h * w)];
            for (int[] q : pos) {
                if (q.length != 2 || q[0] < 0 || q[0] >= h || q[1] < 0 || q[1] >= w) {
                    throw new IllegalArgumentException("position " + Arrays.toString(q) + " is outside " + p.name() + "'s " + h + "x" + w
                            + " map (give (y, x) with 0 <= y < " + h + ", 0 <= x < " + w + ")");
                }
                m[(int) (q[0] * w + q[1])] = 1f;
            }
            return create(a, m, new Shape(1, 1, h, w));
        };
    }

    /** The spatial position {@code (y, x)} of a conv hook point. */
    static Sites position(int y, int x) {
        return positions(new int[] {y, x});
    }

    /** The spatial region {@code [y0, y1) x [x0, x1)} of a conv hook point, across all channels. */
    static Sites region(int y0, int y1, int x0, int x1) {
        return (a, p) -> {
            requireConv(p, "a region");
            long h = a.getShape().get(2);
            long w = a.getShape().get(3);
            if (y0 < 0 || x0 < 0 || y1 > h || x1 > w || y0 >= y1 || x0 >= x1) {
                throw new IllegalArgumentException("region y " + y0 + ".." + y1 + ", x " + x0 + ".." + x1 + " does not fit " + p.name() + "'s "
                        + h + "x" + w + " map (half-open ranges, 0 <= y0 < y1 <= " + h + ", 0 <= x0 < x1 <= " + w + ")");
            }
            float[] m = new float[(int) (h * w)];
            for (int y = y0; y < y1; y++) {
                Arrays.fill(m, (int) (y * w + x0), (int) (y * w + x1), 1f);
            }
            return create(a, m, new Shape(1, 1, h, w));
        };
    }

    /** One neuron {@code (channel, y, x)} of a conv hook point. */
    static Sites neuron(int channel, int y, int x) {
        return units(channel).and(position(y, x));
    }

    /**
     * Tokens: of a token hook point {@code [T, D]} (all features), or the query rows of an attention
     * hook point {@code [heads, T, T]} (what those tokens attend to).
     */
    static Sites tokens(int... tokens) {
        int[] t = tokens.clone();
        return (a, p) -> switch (p.kind()) {
            case TOKENS -> axisMask(a, 1, t, "token", p);
            case ATTENTION -> axisMask(a, 2, t, "token", p);
            default -> throw new IllegalArgumentException("tokens apply to token and attention hook points; " + p.name() + " holds "
                    + p.kind().id() + " activations");
        };
    }

    /** The attended (key) tokens of an attention hook point {@code [heads, T, T]}: its columns. */
    static Sites keys(int... tokens) {
        int[] t = tokens.clone();
        return (a, p) -> {
            if (p.kind() != HookKind.ATTENTION) {
                throw new IllegalArgumentException("keys apply to attention hook points; " + p.name() + " holds " + p.kind().id() + " activations");
            }
            return axisMask(a, 3, t, "token", p);
        };
    }

    /** Heads of an attention hook point {@code [heads, T, T]}. */
    static Sites heads(int... heads) {
        int[] h = heads.clone();
        return (a, p) -> {
            if (p.kind() != HookKind.ATTENTION) {
                throw new IllegalArgumentException("heads apply to attention hook points; " + p.name() + " holds " + p.kind().id()
                        + " activations (for heads side by side in [T, D], use unitRange(h * headWidth, (h + 1) * headWidth))");
            }
            return axisMask(a, 1, h, "head", p);
        };
    }

    /** Row {@code i} of the batch gets {@code rows[i]}; the batch must have exactly {@code rows.length} rows. */
    static Sites perRow(Sites... rows) {
        Sites[] r = rows.clone();
        return (a, p) -> {
            checkRows(a, r.length, p);
            NDList masks = new NDList(r.length);
            try {
                long[] dims = new long[a.getShape().dimension()];
                Arrays.fill(dims, 1);
                for (Sites s : r) {
                    NDArray m = s.mask(a, p);
                    masks.add(m);
                    if (m.getShape().get(0) != 1) {
                        throw new IllegalArgumentException("the sites of one row must not depend on the row (nested perRow)");
                    }
                    for (int d = 1; d < dims.length; d++) {
                        dims[d] = Math.max(dims[d], m.getShape().get(d));
                    }
                }
                NDList full = new NDList(r.length);
                for (NDArray m : masks) {
                    full.add(m.broadcast(new Shape(dims)));
                }
                NDArray out = NDArrays.concat(full, 0);
                full.close();
                return out;
            } finally {
                masks.close();
            }
        };
    }

    /** Row {@code i} of the batch: unit {@code units[i]} (-1: none); the batch must have {@code units.length} rows. */
    static Sites unitPerRow(int... units) {
        int[] u = units.clone();
        return (a, p) -> {
            checkRows(a, u.length, p);
            int axis = p.kind().unitAxis();
            long n = a.getShape().get(axis);
            float[] m = new float[(int) (u.length * n)];
            for (int i = 0; i < u.length; i++) {
                if (u[i] == -1) {
                    continue;
                }
                checkIndex(u[i], n, "unit", p);
                m[(int) (i * n + u[i])] = 1f;
            }
            long[] dims = new long[a.getShape().dimension()];
            Arrays.fill(dims, 1);
            dims[0] = u.length;
            dims[axis] = n;
            return create(a, m, new Shape(dims));
        };
    }

    /** The sites in both this and {@code other}, e.g. {@code units(5).and(tokens(0))}. */
    default Sites and(Sites other) {
        return (a, p) -> {
            try (NDArray m1 = mask(a, p); NDArray m2 = other.mask(a, p)) {
                return m1.mul(m2);
            }
        };
    }

    /** The sites in this or {@code other}. */
    default Sites or(Sites other) {
        return (a, p) -> {
            try (NDArray m1 = mask(a, p); NDArray m2 = other.mask(a, p)) {
                return m1.maximum(m2);
            }
        };
    }

    private static NDArray axisMask(NDArray a, int axis, int[] indices, String what, HookPoint p) {
        if (axis >= a.getShape().dimension()) {
            throw new IllegalArgumentException(p.name() + " has no axis for a " + what + " (shape " + a.getShape() + ")");
        }
        long n = a.getShape().get(axis);
        float[] m = new float[(int) n];
        for (int i : indices) {
            checkIndex(i, n, what, p);
            m[i] = 1f;
        }
        long[] dims = new long[a.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[axis] = n;
        return create(a, m, new Shape(dims));
    }

    private static void checkIndex(int i, long n, String what, HookPoint p) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException(what + " " + i + " is out of range for " + p.name() + " (0.." + (n - 1) + ")");
        }
    }

    private static void checkRows(NDArray a, int rows, HookPoint p) {
        if (a.getShape().get(0) != rows) {
            throw new IllegalArgumentException("per-row sites give " + rows + " rows, but the batch at " + p.name() + " has "
                    + a.getShape().get(0));
        }
    }

    private static void requireConv(HookPoint p, String what) {
        if (p.kind() != HookKind.CONV_CHANNELS) {
            throw new IllegalArgumentException(what + " (y, x) apply to conv hook points; " + p.name() + " holds " + p.kind().id()
                    + " activations" + (p.kind() == HookKind.TOKENS ? " (use tokens(...))" : ""));
        }
    }

    /**
     * The mask in memory PyTorch owns: an array made by {@code NDManager.create} wraps Java memory
     * that is released once it is closed, while a backward pass through an intervention still
     * reads the mask it multiplied by, after the intervention closed it.
     */
    private static NDArray create(NDArray a, float[] m, Shape shape) {
        try (NDArray wrapped = a.getManager().create(m, shape)) {
            return a.getDataType() == DataType.FLOAT32 ? wrapped.duplicate() : wrapped.toType(a.getDataType(), true);
        }
    }
}

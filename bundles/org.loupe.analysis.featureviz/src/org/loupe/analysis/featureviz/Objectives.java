package org.loupe.analysis.featureviz;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.Owned;
import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;

/**
 * The building blocks of {@link Objective}s, with Lucid/Lucent's definitions. A unit's activation
 * is read by the hook point's kind: a channel of a conv feature map ({@code [N, C, H, W]}), a
 * feature of a token sequence ({@code [N, T, D]}: over the patch tokens, or at one token), an
 * element of a vector or of the logits ({@code [N, D]}). Where a {@code row} is given, only that
 * batch element counts (what lets one batch visualise a different unit per row); -1 means all.
 *
 * @since 0.1
 */
public final class Objectives {

    private Objectives() {
    }

    /** Lucent's {@code channel(layer, n)}: the mean of unit {@code unit} over positions (patch tokens) and batch rows. */
    public static Objective channel(HookPoint point, int unit, int row) {
        checkUnit(point, unit);
        return new Unit(point, unit, row, -1, -1, false);
    }

    /**
     * Lucent's {@code neuron(layer, n, x, y)}: unit {@code unit} at one position, column {@code x}
     * and row {@code y} of a feature map or of the patch grid; {@code x = y = -1} for the centre
     * (for token sequences with a class token: the class token).
     */
    public static Objective neuron(HookPoint point, int unit, int x, int y, int row) {
        checkUnit(point, unit);
        if (point.kind() != HookKind.CONV_CHANNELS && point.kind() != HookKind.TOKENS) {
            throw new IllegalArgumentException("neuron(...) needs a conv or token hook point, and " + point.name() + " is "
                    + point.kind().id() + "; use " + point.name() + ":" + unit + " for a unit of a vector");
        }
        int[] grid = grid(point);
        if (x < -1 || y < -1 || x >= grid[1] || y >= grid[0] || (x < 0) != (y < 0)) {
            throw new IllegalArgumentException("position (" + x + ", " + y + ") is outside " + point.name() + "'s " + grid[0] + "x"
                    + grid[1] + " grid: give x in 0.." + (grid[1] - 1) + " and y in 0.." + (grid[0] - 1) + ", or neither for the centre");
        }
        return new Unit(point, unit, row, x, y, true);
    }

    /**
     * A direction {@code v} in the activation space of {@code point} (one value per channel or
     * feature): its dot product with the activation (Lucid's {@code direction}), or its cosine
     * similarity (Lucent's), averaged over positions and batch rows.
     */
    public static Objective direction(HookPoint point, float[] v, boolean cosine, int row) {
        long d = point.units();
        if (point.kind() != HookKind.CONV_CHANNELS && point.kind() != HookKind.TOKENS) {
            throw new IllegalArgumentException("direction(...) needs a conv or token hook point, and " + point.name() + " is " + point.kind().id());
        }
        if (v.length != d) {
            throw new IllegalArgumentException("the direction has " + v.length + " values but " + point.name() + " has " + d
                    + (point.kind() == HookKind.TOKENS ? " features" : " channels"));
        }
        return new Direction(point, v.clone(), cosine, row);
    }

    /**
     * Lucent's {@code diversity(layer)}: minus the summed cosine similarity between the Gram
     * matrices of every pair of batch rows, divided by the batch size (higher is more diverse;
     * add it, weighted, to an objective over a batch).
     */
    public static Objective diversity(HookPoint point) {
        if (point.kind() != HookKind.CONV_CHANNELS && point.kind() != HookKind.TOKENS) {
            throw new IllegalArgumentException("diversity(...) needs a conv or token hook point, and " + point.name() + " is " + point.kind().id());
        }
        return new Diversity(point);
    }

    /** The total variation of the image (TensorFlow's {@code total_variation}, summed over the batch): a penalty. */
    public static Objective totalVariation() {
        return new ImagePenalty(false, 0);
    }

    /** Lucent's {@code L2}: {@code sqrt(1e-6 + sum((image - constant)^2))}: a penalty. */
    public static Objective l2(double constant) {
        return new ImagePenalty(true, constant);
    }

    private static void checkUnit(HookPoint point, int unit) {
        if (unit < 0 || unit >= point.units()) {
            throw new IllegalArgumentException("unit " + unit + " is out of range at " + point.name() + ": it has " + point.units() + " "
                    + unitNoun(point) + " (0.." + (point.units() - 1) + ")");
        }
    }

    private static String unitNoun(HookPoint p) {
        return switch (p.kind()) {
            case CONV_CHANNELS -> "channels";
            case TOKENS -> "features";
            case ATTENTION -> "heads";
            case LOGITS -> "classes";
            case VECTOR -> "units";
        };
    }

    /** Rows and columns of positions: the feature map, or the patch grid of a token sequence. */
    private static int[] grid(HookPoint p) {
        if (p.kind() == HookKind.CONV_CHANNELS) {
            return new int[] {(int) p.shape().get(1), (int) p.shape().get(2)};
        }
        return p.tokenLayout().map(l -> new int[] {l.rows(), l.cols()}).orElse(new int[] {1, (int) p.shape().get(0)});
    }

    private static NDArray rows(NDArray act, int row) {
        return row < 0 ? act : act.get(row + ":" + (row + 1));
    }

    private static String rowText(int row) {
        return row < 0 ? "" : ", batch=" + row;
    }

    /** The patch tokens of a token activation {@code [N, T, D]} (all tokens if the layout is unknown). */
    private static NDArray patches(HookPoint p, NDArray act) {
        int prefix = p.tokenLayout().map(l -> l.prefixTokens()).orElse(0);
        return prefix == 0 ? act : act.get(":, " + prefix + ":, :");
    }

    private record Unit(HookPoint point, int unit, int row, int x, int y, boolean neuron) implements Objective {

        @Override
        public NDArray value(Activations a) {
            NDArray act = rows(a.layer(point.name()), row);
            return switch (point.kind()) {
                case CONV_CHANNELS -> {
                    if (!neuron) {
                        yield act.get(":, " + unit).mean();
                    }
                    long h = act.getShape().get(2);
                    long w = act.getShape().get(3);
                    yield act.get(":, " + unit + ", " + (y < 0 ? h / 2 : y) + ", " + (x < 0 ? w / 2 : x)).mean();
                }
                case TOKENS -> neuron ? act.get(":, " + token() + ", " + unit).mean() : patches(point, act).get(":, :, " + unit).mean();
                default -> act.get(":, " + unit).mean();
            };
        }

        private int token() {
            var layout = point.tokenLayout();
            if (layout.isEmpty()) {
                return x < 0 ? (int) point.shape().get(0) / 2 : x;
            }
            var l = layout.get();
            if (x < 0) {
                return l.hasClassToken() ? l.classToken() : l.patchToken(l.rows() / 2, l.cols() / 2);
            }
            return l.patchToken(y, x);
        }

        @Override
        public Set<String> layers() {
            return Set.of(point.name());
        }

        @Override
        public String describe() {
            if (!neuron) {
                return row < 0 ? point.name() + ":" + unit : "channel(" + point.name() + ", " + unit + rowText(row) + ")";
            }
            return "neuron(" + point.name() + ", " + unit + (x < 0 ? "" : ", " + x + ", " + y) + rowText(row) + ")";
        }
    }

    private record Direction(HookPoint point, float[] v, boolean cosine, int row) implements Objective {

        @Override
        public NDArray value(Activations a) {
            NDArray act = rows(a.layer(point.name()), row);
            // activations with the feature axis last: [N, H, W, C] or [N, T, D]
            NDArray last = point.kind() == HookKind.CONV_CHANNELS ? act.transpose(0, 2, 3, 1) : patches(point, act);
            NDArray dir = Owned.floats(act.getManager(), v);
            NDArray dot = last.mul(dir).sum(new int[] {-1});
            if (!cosine) {
                return dot.mean();
            }
            // torch's CosineSimilarity: x.y / max(|x| |y|, 1e-8)
            NDArray norms = last.square().sum(new int[] {-1}).sqrt().mul(dir.norm());
            return dot.div(Scalars.maximum(norms, 1e-8)).mean();
        }

        @Override
        public Set<String> layers() {
            return Set.of(point.name());
        }

        @Override
        public String describe() {
            String vec = Arrays.toString(v);
            return (cosine ? "cosine(" : "direction(") + point.name() + ", " + vec + rowText(row) + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Direction d && d.point.equals(point) && Arrays.equals(d.v, v) && d.cosine == cosine && d.row == row;
        }

        @Override
        public int hashCode() {
            return point.hashCode() * 31 + Arrays.hashCode(v);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    private record Diversity(HookPoint point) implements Objective {

        @Override
        public NDArray value(Activations a) {
            NDArray act = a.layer(point.name());
            long n = act.getShape().get(0);
            // [N, channels, positions]
            NDArray flat = point.kind() == HookKind.CONV_CHANNELS ? act.reshape(n, act.getShape().get(1), -1) : act.transpose(0, 2, 1);
            NDArray grams = flat.batchMatMul(flat.transpose(0, 2, 1)).reshape(n, -1);
            // F.normalize(p=2, dim=(1, 2)): divide by max(norm, 1e-12)
            NDArray g = grams.div(Scalars.maximum(grams.square().sum(new int[] {1}, true).sqrt(), 1e-12));
            NDArray sims = g.matMul(g.transpose());
            return Scalars.div(sims.sum().sub(g.square().sum()).neg(), n);
        }

        @Override
        public Set<String> layers() {
            return Set.of(point.name());
        }

        @Override
        public String describe() {
            return "diversity(" + point.name() + ")";
        }
    }

    private record ImagePenalty(boolean l2, double constant) implements Objective {

        @Override
        public NDArray value(Activations a) {
            NDArray x = a.image();
            if (l2) {
                NDArray d = constant == 0 ? x : Scalars.sub(x, constant);
                return Scalars.add(d.square().sum(), 1e-6).sqrt();
            }
            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            NDArray dy = x.get(":, :, 1:, :").sub(x.get(":, :, :" + (h - 1) + ", :")).abs().sum();
            NDArray dx = x.get(":, :, :, 1:").sub(x.get(":, :, :, :" + (w - 1))).abs().sum();
            return dy.add(dx);
        }

        @Override
        public Set<String> layers() {
            return Set.of();
        }

        @Override
        public String describe() {
            return l2 ? (constant == 0 ? "l2" : String.format(Locale.ROOT, "l2(%s)", Objective.number(constant))) : "tv";
        }
    }
}

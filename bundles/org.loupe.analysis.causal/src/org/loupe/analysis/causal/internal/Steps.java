package org.loupe.analysis.causal.internal;

import java.util.Arrays;
import java.util.Optional;

import org.loupe.analysis.causal.SweepAxis;
import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookRole;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Sites;
import org.loupe.core.result.UnitRef;

/**
 * The steps of a sweep along one {@link SweepAxis} at one hook point: how many there are, the sites
 * of one step, the per-row sites of a batched pass (row {@code i} takes step {@code steps[i]}), and
 * each step's name.
 */
public final class Steps {

    private final HookedModel model;
    private final HookPoint point;
    private final SweepAxis axis;
    private final int count;
    private final int width;

    private Steps(HookedModel model, HookPoint point, SweepAxis axis, int count, int width) {
        this.model = model;
        this.point = point;
        this.axis = axis;
        this.count = count;
        this.width = width;
    }

    /**
     * The steps along {@code axis} at {@code point}.
     *
     * @throws IllegalArgumentException if the hook point has no such axis (tokens of a conv map, heads of a vector)
     */
    public static Steps of(HookedModel model, HookPoint point, SweepAxis axis) {
        long[] s = point.shape().getShape();
        HookKind k = point.kind();
        return switch (axis) {
            case UNITS -> new Steps(model, point, axis, (int) point.units(), 1);
            case POSITIONS -> {
                require(k == HookKind.CONV_CHANNELS, point, "spatial positions", "conv hook points");
                yield new Steps(model, point, axis, (int) (s[1] * s[2]), (int) s[2]);
            }
            case TOKENS -> {
                require(k == HookKind.TOKENS || k == HookKind.ATTENTION, point, "tokens", "token and attention hook points");
                yield new Steps(model, point, axis, (int) (k == HookKind.TOKENS ? s[0] : s[1]), 1);
            }
            case HEADS -> {
                if (k == HookKind.ATTENTION) {
                    yield new Steps(model, point, axis, (int) s[0], 1);
                }
                require(k == HookKind.TOKENS, point, "heads", "attention hook points and the token hook points of transformer blocks");
                Optional<HookPoint> probs = point.block() < 0 ? Optional.empty() : model.hookPoint(HookRole.ATTN_PROBS, point.block());
                if (probs.isEmpty()) {
                    throw new IllegalArgumentException(point.name() + " is not in a transformer block with attention heads; sweep its units or tokens instead");
                }
                int heads = (int) probs.get().shape().get(0);
                if (s[1] % heads != 0) {
                    throw new IllegalArgumentException(point.name() + "'s " + s[1] + " features do not split into " + heads + " heads; sweep its units instead");
                }
                yield new Steps(model, point, axis, heads, (int) (s[1] / heads));
            }
        };
    }

    private static void require(boolean ok, HookPoint p, String what, String where) {
        if (!ok) {
            throw new IllegalArgumentException(what + " apply to " + where + "; " + p.name() + " holds " + p.kind().id()
                    + " activations (sweep over units instead)");
        }
    }

    /** The number of steps. */
    public int count() {
        return count;
    }

    /** The axis. */
    public SweepAxis axis() {
        return axis;
    }

    /** The sites of step {@code i}. */
    public Sites sites(int i) {
        return switch (axis) {
            case UNITS -> Sites.units(i);
            case POSITIONS -> Sites.position(i / width, i % width);
            case TOKENS -> Sites.tokens(i);
            case HEADS -> point.kind() == HookKind.ATTENTION ? Sites.heads(i) : Sites.unitRange(i * width, (i + 1) * width);
        };
    }

    /** Row {@code r} of a batch takes step {@code steps[r]}. */
    public Sites perRow(int[] steps) {
        if (axis == SweepAxis.UNITS) {
            return Sites.unitPerRow(steps);
        }
        return Sites.perRow(Arrays.stream(steps).mapToObj(this::sites).toArray(Sites[]::new));
    }

    /** The name of step {@code i}: {@code relu4:12}, {@code head 3}, {@code token 0 (class)}, {@code (2, 5)}. */
    public String label(int i) {
        return switch (axis) {
            case UNITS -> point.name() + ":" + i;
            case HEADS -> "head " + i;
            case POSITIONS -> "(" + i / width + ", " + i % width + ")";
            case TOKENS -> "token " + i + point.tokenLayout().map(t -> t.hasClassToken() && t.classToken() == i ? " (class)" : "").orElse("");
        };
    }

    /** A table cell for step {@code i}: a link to the unit where the step is a unit, else its name. */
    public Object cell(int i) {
        boolean unit = axis == SweepAxis.UNITS || axis == SweepAxis.HEADS && point.kind() == HookKind.ATTENTION;
        return unit ? new UnitRef(model.info().id(), point.name(), i) : label(i);
    }
}

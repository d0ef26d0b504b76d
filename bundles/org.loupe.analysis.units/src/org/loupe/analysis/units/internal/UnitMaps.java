package org.loupe.analysis.units.internal;

import org.loupe.core.model.HookKind;
import org.loupe.core.model.HookPoint;

import ai.djl.ndarray.NDArray;

/**
 * A batched activation as one map per unit: {@code [N, units, positions]}, positions in row-major
 * order of the unit's map (rows x columns for conv maps, tokens for token sequences, one for vectors).
 */
public final class UnitMaps {

    private UnitMaps() {
    }

    /** {@code activation} ({@code [N, ...]} of {@code point}) as {@code [N, units, positions]}. */
    public static NDArray of(NDArray activation, HookPoint point) {
        long n = activation.getShape().get(0);
        return switch (point.kind()) {
            case CONV_CHANNELS, ATTENTION -> activation.reshape(n, activation.getShape().get(1), -1);
            case TOKENS -> activation.transpose(0, 2, 1);
            case VECTOR, LOGITS -> activation.reshape(n, -1, 1);
        };
    }

    /** The number of map columns of {@code point} (1 for everything but conv maps). */
    public static int columns(HookPoint point) {
        return point.kind() == HookKind.CONV_CHANNELS ? (int) point.shape().get(2) : 1;
    }

    /** The number of map rows of {@code point}: conv rows, tokens, or 1. */
    public static int rows(HookPoint point) {
        return switch (point.kind()) {
            case CONV_CHANNELS -> (int) point.shape().get(1);
            case TOKENS -> (int) point.shape().get(0);
            default -> 1;
        };
    }
}

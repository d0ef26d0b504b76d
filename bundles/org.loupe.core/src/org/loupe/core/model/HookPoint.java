package org.loupe.core.model;

import java.util.Objects;
import java.util.Optional;

import ai.djl.ndarray.types.Shape;

/**
 * A named place in a model where an analyst can look: record the activation, intervene on it or take
 * its gradient.
 *
 * @param name      the path-like name, following the source model's module names ({@code mixed4a},
 *                  {@code blocks.3.attn.probs})
 * @param kind      what the activation holds
 * @param shape     the activation's shape without the batch dimension, for an input of the model's size
 * @param role      what the hook point is in the network, independent of naming
 * @param block     the index, in forward order, of the block (residual, inception, ConvNeXt or
 *                  transformer block) the hook point belongs to; -1 outside blocks
 * @param layout    for token and attention hook points, where the tokens come from; null otherwise
 * @param resumable whether a forward pass can start here given this activation
 *                  ({@link Range#from(String)}); hook points inside a branch that cannot be resumed
 *                  alone are not (see {@link HookedModel#resumePointFor(String)})
 *
 * @since 0.1
 */
public record HookPoint(String name, HookKind kind, Shape shape, HookRole role, int block, TokenLayout layout, boolean resumable) {

    /** Validates the fields. */
    public HookPoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(role, "role");
    }

    /** A hook point with no structure known: role {@link HookRole#OTHER}, no block, no token layout, not resumable. */
    public HookPoint(String name, HookKind kind, Shape shape) {
        this(name, kind, shape, HookRole.OTHER, -1, null, false);
    }

    /** The token layout of a token or attention hook point, if it has one. */
    public Optional<TokenLayout> tokenLayout() {
        return Optional.ofNullable(layout);
    }

    /** The number of units at this hook point (channels, features, heads, classes). */
    public long units() {
        int axis = kind.unitAxis() - 1;
        return axis < shape.dimension() ? shape.get(axis) : 1;
    }

    /** A compact description such as {@code conv [64, 56, 56]}. */
    public String describe() {
        return kind.id() + " " + shape;
    }
}

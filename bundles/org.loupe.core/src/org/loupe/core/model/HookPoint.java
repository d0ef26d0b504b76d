package org.loupe.core.model;

import java.util.Objects;

import ai.djl.ndarray.types.Shape;

/**
 * A named place in a model where an analyst can look: record the activation, intervene on it or take
 * its gradient.
 *
 * @param name  the path-like name, following the source model's module names ({@code mixed4a},
 *              {@code blocks.3.attn.probs})
 * @param kind  what the activation holds
 * @param shape the activation's shape without the batch dimension, for an input of the model's size
 */
public record HookPoint(String name, HookKind kind, Shape shape) {

    /** Validates the fields. */
    public HookPoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(shape, "shape");
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

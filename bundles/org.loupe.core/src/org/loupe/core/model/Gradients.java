package org.loupe.core.model;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/**
 * Forward and backward passes: the gradient of a scalar objective with respect to the input and to
 * chosen hook points. The model's weights are not trained (their gradients are not computed).
 */
public final class Gradients {

    /** DJL allows one gradient collector per process at a time: backward passes take turns. */
    private static final ReentrantLock COLLECTOR = new ReentrantLock();

    private Gradients() {
    }

    /**
     * The result of {@link #backward}.
     *
     * @param objective     the objective's value (a scalar array)
     * @param inputGradient d objective / d input, shaped like the input
     * @param output        the forward pass, whose cache holds the kept hook-point gradients
     */
    public record Result(NDArray objective, NDArray inputGradient, ModelOutput output) {
    }

    /**
     * Runs {@code model} on {@code input} with {@code hooks}, evaluates {@code objective} on the
     * output and back-propagates. {@code input} itself is not modified.
     *
     * @param objective maps the forward pass to a scalar (for example the mean of a channel)
     */
    public static Result backward(HookedModel model, NDArray input, Hooks hooks, Function<ModelOutput, NDArray> objective) {
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        COLLECTOR.lock();
        try (GradientCollector gc = LoupeEngine.newGradientCollector()) {
            ModelOutput out = model.forward(x, hooks);
            NDArray value = objective.apply(out);
            if (value.size() != 1) {
                throw new IllegalArgumentException("the objective must be a scalar, got shape " + value.getShape());
            }
            gc.backward(value);
            return new Result(value, x.getGradient(), out);
        } finally {
            COLLECTOR.unlock();
        }
    }
}

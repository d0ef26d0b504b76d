package org.loupe.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.loupe.djl.GradientScope;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;

/**
 * Gradients of scalar functions: of any differentiable pipeline of tensors the caller owns
 * ({@link #of}: parameterisation, transforms, normalisation, a model, an objective), and of an
 * objective of a model's forward pass with respect to the input and chosen hook points
 * ({@link #backward}). The model's weights are not trained (their gradients are not computed).
 * Both run in the engine's one gradient scope ({@link LoupeEngine#gradients}), so they may be
 * called from inside each other and from any thread; backward passes take turns.
 *
 * @since 0.1
 */
public final class Gradients {

    private Gradients() {
    }

    /**
     * The value of a scalar function and its gradients.
     *
     * @param value     the function's value (a scalar array)
     * @param gradients d value / d leaf for each leaf, in the order of the leaves, each shaped like
     *                  its leaf; copies, which later backward passes leave alone
     */
    public record Derivative(NDArray value, List<NDArray> gradients) {

        /** Copies the list. */
        public Derivative {
            gradients = List.copyOf(gradients);
        }

        /** d value / d leaf {@code i}. */
        public NDArray gradient(int i) {
            return gradients.get(i);
        }
    }

    /**
     * Evaluates {@code function} and differentiates it with respect to each of {@code leaves}: the
     * arrays themselves (they are not copied) are marked as requiring a gradient, any gradient
     * left in them by an earlier pass is cleared, and the returned gradients are copies. The
     * function must compute from the leaves with NDArray operations (tensor-side preprocessing is
     * in {@code org.loupe.core.images.TensorOps}) and return a scalar.
     *
     * @throws IllegalArgumentException if the function returns more than one value, or if a leaf
     *                                  that never had a gradient does not take part in it
     */
    public static Derivative of(List<NDArray> leaves, Supplier<NDArray> function) {
        return of(leaves, function, true);
    }

    /**
     * {@link #of}, letting the models the function runs fold layers (see {@link #folded}): for
     * optimisation loops such as feature visualization.
     */
    public static Derivative ofFolded(List<NDArray> leaves, Supplier<NDArray> function) {
        return folded(() -> of(leaves, function, true));
    }

    /**
     * Runs {@code work} with the models allowed to fold layers in the gradient passes it makes
     * ({@link GradientScope#foldLayers}: ResNet's and GoogLeNet's batch norms folded into their
     * convolutions, about 10 % less time per pass). The gradients are those of the same function
     * to float rounding, but not PyTorch's to the last digits.
     */
    public static <T> T folded(Supplier<T> work) {
        return LoupeEngine.gradients(scope -> {
            boolean before = scope.foldsLayers();
            scope.foldLayers(true);
            try {
                return work.get();
            } finally {
                scope.foldLayers(before);
            }
        });
    }

    /** {@link #of}; a leaf that does not take part gets a zero gradient unless {@code mustTakePart}. */
    private static Derivative of(List<NDArray> leaves, Supplier<NDArray> function, boolean mustTakePart) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("give at least one leaf tensor to differentiate with respect to");
        }
        return LoupeEngine.gradients(scope -> {
            List<Boolean> fresh = new ArrayList<>();
            for (NDArray leaf : leaves) {
                leaf.setRequiresGradient(true);
                boolean stale = scope.zeroGradient(leaf);
                fresh.add(mustTakePart && !stale);
            }
            NDArray value = function.get();
            if (value.size() != 1) {
                throw new IllegalArgumentException("the function to differentiate must return a scalar (one value), got shape "
                        + value.getShape() + "; reduce it first, for example with sum() or mean()");
            }
            scope.backward(value);
            return new Derivative(value, gradients(scope, leaves, fresh));
        });
    }

    private static List<NDArray> gradients(GradientScope scope, List<NDArray> leaves, List<Boolean> fresh) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            NDArray leaf = leaves.get(i);
            var g = scope.gradient(leaf);
            if (g.isEmpty()) {
                if (fresh.get(i)) {
                    throw new IllegalArgumentException("leaf " + i + " (shape " + leaf.getShape()
                            + ") does not take part in the function: compute the value from it, or leave it out of the leaves");
                }
                out.add(leaf.zerosLike());
            } else {
                NDArray copy = g.get().duplicate();
                copy.attach(leaf.getManager());
                g.get().close();
                out.add(copy);
            }
        }
        return out;
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
     * output and back-propagates. {@code input} itself is not modified. Where the objective does
     * not depend on the input (an intervention replaced everything it sees), the input gradient
     * is zero.
     *
     * @param objective maps the forward pass to a scalar (for example the mean of a channel)
     */
    public static Result backward(HookedModel model, NDArray input, Hooks hooks, Function<ModelOutput, NDArray> objective) {
        NDArray x = input.duplicate();
        ModelOutput[] out = new ModelOutput[1];
        Derivative d = of(List.of(x), () -> {
            out[0] = model.forward(x, hooks);
            return objective.apply(out[0]);
        }, false);
        return new Result(d.value(), d.gradient(0), out[0]);
    }
}

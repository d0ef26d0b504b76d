package org.loupe.analysis.featureviz;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.loupe.core.model.Scalars;

import ai.djl.ndarray.NDArray;

/**
 * A scalar to <em>maximise</em> over the image: a unit's activation, a direction in a layer's
 * activation space, the diversity of a batch, or a penalty (to subtract). Objectives compose with
 * {@link #plus}, {@link #minus}, {@link #times(double)} and {@link #times(Objective)}; the
 * building blocks are in {@link Objectives}, and {@link ObjectiveParser} reads the text form
 * ({@code "relu3:5 - 0.5*relu3:7"}).
 *
 * @since 0.1
 */
public interface Objective {

    /** The value on one step's activations, a scalar array. */
    NDArray value(Activations activations);

    /** The hook points it reads (the forward pass runs up to the deepest of them). */
    Set<String> layers();

    /** The text form, as {@link ObjectiveParser} reads it. */
    String describe();

    /** This plus {@code other}. */
    default Objective plus(Objective other) {
        return combine(this, other, " + ", (a, b) -> a.add(b));
    }

    /** This minus {@code other}. */
    default Objective minus(Objective other) {
        return combine(this, other, " - ", (a, b) -> a.sub(b));
    }

    /** This times {@code other}. */
    default Objective times(Objective other) {
        return combine(this, other, " * ", (a, b) -> a.mul(b));
    }

    /** This times a number. */
    default Objective times(double factor) {
        Objective self = this;
        return new Objective() {
            @Override
            public NDArray value(Activations a) {
                return Scalars.mul(self.value(a), factor);
            }

            @Override
            public Set<String> layers() {
                return self.layers();
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "%s*(%s)", number(factor), self.describe());
            }
        };
    }

    /** A number in its shortest text form ({@code 0.5}, {@code 2}). */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static Objective combine(Objective a, Objective b, String op, java.util.function.BinaryOperator<NDArray> f) {
        return new Objective() {
            @Override
            public NDArray value(Activations acts) {
                return f.apply(a.value(acts), b.value(acts));
            }

            @Override
            public Set<String> layers() {
                Set<String> all = new LinkedHashSet<>(a.layers());
                all.addAll(b.layers());
                return all;
            }

            @Override
            public String describe() {
                return "(" + a.describe() + op + b.describe() + ")";
            }
        };
    }
}

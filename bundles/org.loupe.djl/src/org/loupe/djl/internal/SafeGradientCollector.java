package org.loupe.djl.internal;

import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/** A gradient collector whose backward passes run without oneDNN (see {@link OneDnn}). */
public final class SafeGradientCollector implements GradientCollector {

    private final GradientCollector delegate;
    private final Optional<OneDnn> oneDnn;

    /** Wraps {@code delegate}. */
    public SafeGradientCollector(GradientCollector delegate, Optional<OneDnn> oneDnn) {
        this.delegate = delegate;
        this.oneDnn = oneDnn;
    }

    @Override
    public void backward(NDArray target) {
        if (oneDnn.isPresent()) {
            oneDnn.get().withoutOneDnn(() -> {
                delegate.backward(target);
                return null;
            });
        } else {
            delegate.backward(target);
        }
    }

    @Override
    public void zeroGradients() {
        delegate.zeroGradients();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

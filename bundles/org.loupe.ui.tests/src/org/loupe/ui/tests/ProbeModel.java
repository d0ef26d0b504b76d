package org.loupe.ui.tests;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;

import ai.djl.ndarray.NDArray;

/** A model that counts its forward passes and fails loudly if one comes after it was closed. */
final class ProbeModel implements HookedModel {

    private final HookedModel inner;
    private final AtomicInteger forwards = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    ProbeModel(HookedModel inner) {
        this.inner = inner;
    }

    int forwards() {
        return forwards.get();
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public ModelInfo info() {
        return inner.info();
    }

    @Override
    public InputSpec inputSpec() {
        return inner.inputSpec();
    }

    @Override
    public List<HookPoint> hookPoints() {
        return inner.hookPoints();
    }

    @Override
    public List<String> labels() {
        return inner.labels();
    }

    @Override
    public ModelOutput forward(NDArray input, Hooks hooks, Range range) {
        if (closed.get()) {
            throw new IllegalStateException("the model was closed under a running job");
        }
        ModelOutput out = inner.forward(input, hooks, range);
        forwards.incrementAndGet();
        return out;
    }

    @Override
    public void close() {
        closed.set(true);
        inner.close();
    }
}

package org.loupe.core.tests;

import java.util.List;

import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;

/** A black-box model, as a TorchScript model is: the outputs of another model, no hook points, no labels. */
final class BlackBoxModel implements HookedModel {

    private final HookedModel inner;

    BlackBoxModel(HookedModel inner) {
        this.inner = inner;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("black-box", "Black box (test)", "torchscript", "0", "test", -1);
    }

    @Override
    public InputSpec inputSpec() {
        return inner.inputSpec();
    }

    @Override
    public List<HookPoint> hookPoints() {
        return List.of();
    }

    @Override
    public List<String> labels() {
        return List.of();
    }

    @Override
    public ModelOutput forward(ai.djl.ndarray.NDArray input, Hooks hooks, Range range) {
        return inner.forward(input, Hooks.none(), range);
    }

    @Override
    public void close() {
        // the inner model belongs to the test
    }
}

package org.loupe.models.torchscript;

import java.util.List;

import org.loupe.core.model.ActivationCache;
import org.loupe.core.model.HookPoint;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelOutput;
import org.loupe.core.model.Range;
import org.loupe.core.model.UnknownHookPointException;

import org.loupe.djl.Convolutions;
import org.loupe.djl.LoupeEngine;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A TorchScript model run as a black box: inference and gradients with respect to the input, no hook
 * points.
 *
 * <p><b>BatchNorm statistics are never touched.</b> DJL's TorchScript block switches the module to
 * {@code train()} whenever a forward pass asks for {@code training=true} after one that asked for
 * {@code false} (and {@code training=false} runs under libtorch's inference mode, where no gradient
 * can flow). In train mode BatchNorm would normalise with batch statistics and overwrite its running
 * statistics. This model therefore loads the module in {@code eval()} mode with autograd-capable
 * parameters ({@code trainParam}) and calls the block with {@code training=true} on every pass,
 * inference and gradient alike: the block starts in that state, so no switch ever happens and the
 * module stays in {@code eval()} for its whole life. The block is private to this class, so nothing
 * else can call it differently. With frozen parameters and an input that needs no gradient, the pass
 * records no graph.
 *
 * <p><b>Exact input gradients.</b> The module's convolutions run in libtorch as they are, so Loupe
 * cannot route them around the shapes whose oneDNN backward is wrong or crashes (see
 * {@link Convolutions#wrongBackwardWithOneDnn} and {@link Convolutions#mayCrashBackwardWithOneDnnIfStrided}).
 * If any 4-D weight of the module has such a shape (decided once, at load), every forward pass
 * asks the open gradient scope to back-propagate without oneDNN; torchvision's ResNet-50 is one
 * (its strided 1x1 shortcuts), a module with only small convolutions keeps oneDNN.
 */
final class TorchScriptModel implements HookedModel {

    /** The only {@code training} flag the block is ever called with (see the class comment). */
    private static final boolean AUTOGRAD_WITHOUT_MODE_SWITCH = true;

    private final ModelInfo info;
    private final InputSpec inputSpec;
    private final List<String> labels;
    private final Model model;
    private final Block block;
    private final ParameterStore parameterStore;
    private final boolean needsExactBackward;

    TorchScriptModel(ModelInfo info, InputSpec inputSpec, List<String> labels, Model model) {
        this.info = info;
        this.inputSpec = inputSpec;
        this.labels = List.copyOf(labels);
        this.model = model;
        this.block = model.getBlock();
        this.parameterStore = new ParameterStore(model.getNDManager(), false);
        this.needsExactBackward = block.getParameters().values().stream()
                .anyMatch(p -> p.getArray() != null && (Convolutions.wrongBackwardWithOneDnn(p.getArray().getShape(), 1)
                        || Convolutions.mayCrashBackwardWithOneDnnIfStrided(p.getArray().getShape())));
    }

    /** Whether a backward pass through this module must avoid oneDNN (see the class comment). */
    boolean needsExactBackward() {
        return needsExactBackward;
    }

    /** Runs the module on {@code input} and returns its first output. */
    static NDArray run(Block block, ParameterStore ps, NDArray input) {
        NDList out = block.forward(ps, new NDList(input), AUTOGRAD_WITHOUT_MODE_SWITCH);
        if (out.isEmpty()) {
            throw new IllegalStateException("the TorchScript module returned no tensor");
        }
        return out.get(0);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InputSpec inputSpec() {
        return inputSpec;
    }

    @Override
    public List<HookPoint> hookPoints() {
        return List.of();
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public synchronized ModelOutput forward(NDArray input, Hooks hooks, Range range) {
        for (String name : hooks.referencedNames()) {
            throw UnknownHookPointException.of(name, this);
        }
        for (String name : new String[] {range.from(), range.stopAfter()}) {
            if (name != null) {
                throw UnknownHookPointException.of(name, this);
            }
        }
        Shape s = input.getShape();
        if (s.dimension() != 4 || s.get(1) != inputSpec.channels()) {
            throw new IllegalArgumentException("model '" + info.name() + "' takes a batch [N, " + inputSpec.channels() + ", "
                    + inputSpec.height() + ", " + inputSpec.width() + "], got " + s);
        }
        if (needsExactBackward) {
            LoupeEngine.requireExactConvolutionBackward();
        }
        try {
            return new ModelOutput(run(block, parameterStore, input), new ActivationCache());
        } catch (EngineException e) {
            throw new IllegalArgumentException("TorchScript model '" + info.name() + "' failed on an input of shape " + s + " (it expects "
                    + inputSpec.height() + "x" + inputSpec.width() + "): " + TorchScriptLoader.firstLines(e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}

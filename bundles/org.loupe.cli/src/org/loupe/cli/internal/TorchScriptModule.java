package org.loupe.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.loupe.djl.LoupeEngine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A TorchScript module run on any one tensor, for the partial-pass benchmark's anchors: a traced
 * prefix takes an image batch, a traced suffix takes a hook point's activation, which Loupe's
 * TorchScript model (an image classifier) does not accept. Loaded and called as that model does:
 * parameters loaded outside inference mode ({@code trainParam}), frozen, and the block always called
 * with {@code training=true}, so the module stays in {@code eval()} and records no graph.
 */
final class TorchScriptModule implements AutoCloseable {

    private final Model model;
    private final Block block;
    private final ParameterStore parameterStore;

    private TorchScriptModule(Model model) {
        this.model = model;
        this.block = model.getBlock();
        this.parameterStore = new ParameterStore(model.getNDManager(), false);
        block.freezeParameters(true);
    }

    /** Loads the TorchScript archive at {@code path}. */
    static TorchScriptModule load(Path path) throws IOException {
        Path file = path.toAbsolutePath();
        String name = file.getFileName().toString();
        Model model = LoupeEngine.get().newModel(name, Device.cpu());
        try {
            model.load(file.getParent(), name, Map.of("trainParam", "true"));
            return new TorchScriptModule(model);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException(path + " cannot be loaded as a TorchScript archive (write it with bench/make_partial_models.py): "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /** The module's first output on {@code input}, in the input's manager. */
    NDArray run(NDArray input) {
        return block.forward(parameterStore, new NDList(input), true).get(0);
    }

    @Override
    public void close() {
        model.close();
    }
}

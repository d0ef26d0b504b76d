package org.loupe.models.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads PyTorch state dicts saved with {@code torch.save(model.state_dict(), f)} ({@code .pth},
 * {@code .pt}, {@code .bin}) without running Python: the pickle is parsed with an allowlist of
 * globals (tensor rebuild, OrderedDict, storage types); anything else is refused by name.
 */
public final class Pth {

    private Pth() {
    }

    /** Reads every tensor of the state dict in {@code file}. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        throw new WeightFileException(file.getFileName() + ": reading PyTorch .pth files is not implemented yet; "
                + "save the state dict as safetensors or npz.");
    }
}

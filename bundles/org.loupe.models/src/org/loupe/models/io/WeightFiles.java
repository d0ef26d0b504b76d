package org.loupe.models.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Reads a weight file by its extension: {@code .safetensors} or {@code .npz}. */
public final class WeightFiles {

    private WeightFiles() {
    }

    /** The extensions {@link #read} understands. */
    public static final java.util.List<String> EXTENSIONS = java.util.List.of("safetensors", "npz");

    /** Reads every tensor of {@code file}. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException("The weight file " + file + " does not exist.");
        }
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".safetensors")) {
            return Safetensors.read(file);
        }
        if (n.endsWith(".npz")) {
            return Npz.read(file);
        }
        throw new WeightFileException(file.getFileName() + ": unknown weight format; Loupe reads .safetensors and .npz files.");
    }
}

package org.loupe.models.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a weight file by its extension: {@code .safetensors} or {@code .npz}.
 *
 * @since 0.1
 */
public final class WeightFiles {

    private WeightFiles() {
    }

    /** The extensions {@link #read} understands, in the order a missing extension is guessed. */
    public static final java.util.List<String> EXTENSIONS = java.util.List.of("safetensors", "npz", "pth", "pt", "bin");

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
        if (n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".bin")) {
            if (isTorchScript(file)) {
                throw new WeightFileException(file.getFileName() + " is a TorchScript model, not a state dict; open it as a model "
                        + "(it runs as a black box) or save its state_dict() instead.");
            }
            return Pth.read(file);
        }
        throw new WeightFileException(file.getFileName() + ": unknown weight format; Loupe reads .safetensors, .npz and PyTorch "
                + ".pth/.pt/.bin state dicts.");
    }

    /** Whether {@code file} is a TorchScript archive (a zip with code and constants), not a pickled state dict. */
    public static boolean isTorchScript(Path file) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().endsWith("/constants.pkl") || e.getName().contains("/code/"));
        } catch (IOException e) {
            return false;
        }
    }
}

package org.loupe.models.torchscript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;
import org.loupe.models.zoo.Sidecars;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What a TorchScript model's optional JSON sidecar ({@code <model base name>.json} next to it) says:
 * the same fields as a zoo sidecar, every one optional.
 * <pre>{"name": "My model", "labels": ["cat", "dog"] or "imagenet",
 *  "input": {"channels": 3, "height": 224, "width": 224, "mean": [...], "std": [...], "scale": 1}}</pre>
 * Without a sidecar the input is 3x224x224 with ImageNet normalisation.
 *
 * @param name   display name, or null
 * @param input  the input spec, or null for the default
 * @param labels the labels, or null for the default (ImageNet-1k for 1000 outputs)
 *
 * @since 0.1
 */
public record TorchScriptSidecar(String name, InputSpec input, List<String> labels) {

    /** The input when the sidecar does not give one. */
    public static final InputSpec DEFAULT_INPUT = new InputSpec(3, 224, 224, Normalization.IMAGENET);

    /** An absent sidecar. */
    public static final TorchScriptSidecar NONE = new TorchScriptSidecar(null, null, null);

    /** The sidecar of {@code model}, or {@link #NONE} if there is none. */
    public static TorchScriptSidecar of(Path model) throws ModelLoadException {
        String n = model.getFileName().toString();
        int dot = n.lastIndexOf('.');
        Path file = model.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".json");
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read the sidecar " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.getFileName().toString());
    }

    /** Parses sidecar text; {@code source} names it in messages. */
    public static TorchScriptSidecar parse(String text, String source) throws ModelLoadException {
        JsonObject s;
        try {
            s = JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelLoadException("The sidecar " + source + " is not a JSON object: " + e.getMessage(), e);
        }
        try {
            String name = s.has("name") ? s.get("name").getAsString() : null;
            InputSpec input = Sidecars.input(s);
            List<String> labels = Sidecars.labels(s);
            return new TorchScriptSidecar(name, input, labels);
        } catch (RuntimeException e) {
            throw new ModelLoadException("The sidecar " + source + " is not valid: " + e.getMessage() + ".", e);
        }
    }

    /** The input: the sidecar's, else 3x224x224 ImageNet. */
    public InputSpec inputOrDefault() {
        return input != null ? input : DEFAULT_INPUT;
    }
}

package org.loupe.models.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.loupe.core.model.ConfigValue;
import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;
import org.loupe.core.model.ModelLoadException;

import com.google.gson.JsonObject;

/**
 * What is known about a model file besides its tensors: identity and, from the optional JSON
 * sidecar (merged with what a published file name or a Hugging Face / timm config says), the
 * architecture, display name, input size and normalisation, labels, and where each of these came
 * from.
 *
 * @param id           a stable id (the file's base name)
 * @param name         display name (sidecar {@code name}, else the id)
 * @param contentHash  SHA-256 of the weight file
 * @param weights      the weight file
 * @param architecture the sidecar's {@code architecture}, or null to detect it from the tensors
 * @param input        the sidecar's input spec, or null for the architecture's default
 * @param labels       the sidecar's labels, or null for the architecture's default
 * @param sidecar      the whole sidecar (empty if there is none), for architecture-specific options
 * @param source       where the model came from, as recorded in provenance (a path, or {@code builtin:<id>})
 * @param given        for each configuration name ({@link ConfigValue#name()}) the sidecar or
 *                     config gives, where it came from
 *
 * @since 0.1
 */
public record ModelSpec(String id, String name, String contentHash, Path weights, String architecture, InputSpec input,
        List<String> labels, JsonObject sidecar, String source, Map<String, Given> given) {

    /** Where a configuration value given to the loader came from. */
    public record Given(Origin origin, String detail) {
    }

    /** A spec whose sidecar values all come from one sidecar. */
    public ModelSpec(String id, String name, String contentHash, Path weights, String architecture, InputSpec input,
            List<String> labels, JsonObject sidecar, String source) {
        this(id, name, contentHash, weights, architecture, input, labels, sidecar, source, Map.of());
    }

    /** Copies the map. */
    public ModelSpec {
        given = Map.copyOf(given);
    }

    /** The model's identity for a built variant ({@code resnet50}, {@code vit-b-16}, ...). */
    public ModelInfo info(String variant) {
        return new ModelInfo(id, name, variant, contentHash, source, -1);
    }

    /** The model's identity for a built variant with its resolved configuration. */
    public ModelInfo info(String variant, List<ConfigValue> configuration) {
        return new ModelInfo(id, name, variant, contentHash, source, -1, configuration);
    }

    /**
     * The input spec: the sidecar's fields, the others from {@code dflt}.
     *
     * @throws ModelLoadException if the sidecar's (or config's) input fields are not valid
     */
    public InputSpec inputOr(InputSpec dflt) throws ModelLoadException {
        try {
            return Sidecars.input(sidecar, dflt);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("The sidecar or config of " + weights.getFileName() + " gives an input Loupe cannot use: "
                    + e.getMessage() + ".", e);
        }
    }

    /**
     * The labels: the sidecar's, else ImageNet-1k's when the model has 1000 outputs, else
     * {@code class 0 .. class n-1}.
     */
    public List<String> labelsFor(int outputs) {
        if (labels != null) {
            return labels;
        }
        return outputs == 1000 ? Labels.imagenet1k() : Labels.numbered(outputs);
    }

    /** Where the value called {@code name} was given, if it was. */
    public Optional<Given> given(String name) {
        return Optional.ofNullable(given.get(name));
    }

    /**
     * A resolved value: with the origin it was given with (sidecar, config, file name), else with
     * {@code origin} and {@code detail}; {@code settle} (the sidecar line that settles a guess) is
     * kept only for a guess.
     */
    public ConfigValue value(String name, String value, Origin origin, String detail, String settle) {
        Optional<Given> g = given(name);
        if (g.isPresent()) {
            return new ConfigValue(name, value, g.get().origin(), g.get().detail(), null);
        }
        return new ConfigValue(name, value, origin, detail, origin == Origin.GUESSED ? settle : null);
    }

    /**
     * The values every architecture reports: architecture, input size, resize and crop,
     * normalisation and labels.
     *
     * @param input        the resolved input
     * @param sizeOrigin   where the input size comes from when the sidecar does not give it
     * @param sizeDetail   how, for that origin
     * @param normDetail   why the default normalisation, when it is a guess
     * @param labels       the resolved labels
     */
    public List<ConfigValue> common(String variant, InputSpec input, Origin sizeOrigin, String sizeDetail, String normDetail,
            List<String> labels) {
        List<ConfigValue> out = new ArrayList<>();
        out.add(value("architecture", variant, Origin.FILE, "tensor names and shapes", null));
        out.add(value(ModelInfo.INPUT_SIZE, input.channels() + "x" + input.height() + "x" + input.width(), sizeOrigin, sizeDetail, null));
        out.add(value(ModelInfo.RESIZE, input.resize().describe(input.height(), input.width()), Origin.GUESSED,
                "Loupe's default (torchvision evaluates with \"resize\": 256 for a 224 crop)", null));
        out.add(value(ModelInfo.NORMALIZATION, input.normalization().toString(), Origin.GUESSED, normDetail,
                Sidecars.normalizationLine(input.normalization())));
        out.add(value("interpolation", input.resize().interpolation().name().toLowerCase(java.util.Locale.ROOT) + " (antialiased)",
                Origin.GUESSED, "Loupe's default", null));
        if (!labels.isEmpty()) {
            boolean imagenet = labels.size() == 1000 && labels.equals(Labels.imagenet1k());
            out.add(value("labels", imagenet ? "ImageNet-1k" : labels.size() + " (" + labels.get(0) + ", ...)", Origin.GUESSED,
                    imagenet ? "1000 outputs: ImageNet-1k's class names" : "numbered", null));
        }
        return out;
    }
}

package org.loupe.models.zoo;

import java.nio.file.Path;
import java.util.List;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelInfo;

import com.google.gson.JsonObject;

/**
 * What is known about a model file besides its tensors: identity and, from the optional JSON
 * sidecar, the architecture, display name, input size and normalisation, and labels.
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
 */
public record ModelSpec(String id, String name, String contentHash, Path weights, String architecture, InputSpec input,
        List<String> labels, JsonObject sidecar, String source) {

    /** The model's identity for a built variant ({@code resnet50}, {@code vit-b-16}, ...). */
    public ModelInfo info(String variant) {
        return new ModelInfo(id, name, variant, contentHash, source, -1);
    }

    /** The input spec: the sidecar's, else {@code dflt}. */
    public InputSpec inputOr(InputSpec dflt) {
        return input != null ? input : dflt;
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
}

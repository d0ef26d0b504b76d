package org.loupe.models.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loupe.core.model.ConfigValue.Origin;
import org.loupe.core.model.ModelInfo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Sidecar fields from one source (a published file name, a Hugging Face or timm config, the
 * user's sidecar), with where each came from. {@link #merge} lays them over each other, later
 * sources winning field by field, into the one sidecar the architectures read.
 *
 * @param fields  sidecar fields ({@code architecture}, {@code heads}, {@code input}: {...}, ...)
 * @param origin  {@link Origin#FILE} for a file name, {@link Origin#CONFIG} for config files and sidecars
 * @param detail  where, for every field without its own entry in {@code details}
 * @param details where, by configuration name ({@code heads}: {@code config.json num_attention_heads})
 */
record ConfigLayer(JsonObject fields, Origin origin, String detail, Map<String, String> details) {

    /** The merged sidecar and where each configuration value in it came from. */
    record Merged(JsonObject sidecar, Map<String, ModelSpec.Given> given) {
    }

    static ConfigLayer of(JsonObject fields, Origin origin, String detail) {
        return new ConfigLayer(fields, origin, detail, Map.of());
    }

    /** Merges {@code layers}, the last winning; the {@code input} object is merged field by field. */
    static Merged merge(List<ConfigLayer> layers) {
        JsonObject out = new JsonObject();
        JsonObject input = null;
        Map<String, ModelSpec.Given> given = new LinkedHashMap<>();
        for (ConfigLayer l : layers) {
            for (Map.Entry<String, JsonElement> e : l.fields().entrySet()) {
                if (e.getKey().equals("input") && e.getValue().isJsonObject()) {
                    if (input == null) {
                        input = new JsonObject();
                    }
                    for (Map.Entry<String, JsonElement> f : e.getValue().getAsJsonObject().entrySet()) {
                        input.add(f.getKey(), f.getValue());
                        l.note(given, inputName(f.getKey()));
                    }
                } else {
                    out.add(e.getKey(), e.getValue());
                    l.note(given, name(e.getKey()));
                }
            }
        }
        if (input != null) {
            out.add("input", input);
        }
        return new Merged(out, given);
    }

    private void note(Map<String, ModelSpec.Given> given, String name) {
        if (name != null) {
            given.put(name, new ModelSpec.Given(origin, details.getOrDefault(name, detail)));
        }
    }

    /** The configuration name a top-level sidecar field sets, or null. */
    private static String name(String key) {
        return switch (key) {
            case "layer_norm_eps", "eps" -> "layer_norm_eps";
            case "architecture", "heads", "transform_input", "labels", "interpolation" -> key;
            case "class_token" -> "class token";
            default -> null;
        };
    }

    private static String inputName(String key) {
        return switch (key) {
            case "channels", "height", "width" -> ModelInfo.INPUT_SIZE;
            case "mean", "std", "scale" -> ModelInfo.NORMALIZATION;
            case "resize" -> ModelInfo.RESIZE;
            default -> null;
        };
    }
}

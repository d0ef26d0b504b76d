package org.loupe.example.loader;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.model.ModelLoadException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The JSON description of a residual MLP, the example loader's own format:
 *
 * <pre>
 * {"format": "residual-mlp", "name": "Tiny residual MLP",
 *  "input": {"channels": 1, "height": 4, "width": 4},
 *  "features": 8, "hidden": 16, "blocks": 2, "classes": 3,
 *  "labels": ["a", "b", "c"],
 *  "weights": "tiny.f32"}
 * </pre>
 *
 * The image is flattened, embedded by a linear layer to {@code features} features, passed through
 * {@code blocks} residual blocks {@code x + fc2(relu(fc1(x)))} with {@code hidden} features
 * inside, and classified by a linear head. Instead of {@code weights} a {@code "seed"} gives a
 * seeded initialisation. {@code labels} is optional.
 *
 * @param name     the model's name
 * @param channels input channels
 * @param height   input height
 * @param width    input width
 * @param features the residual stream's width
 * @param hidden   the hidden width inside each block
 * @param blocks   the number of residual blocks
 * @param classes  the number of classes
 * @param labels   class labels, empty or one per class
 * @param weights  the raw float32 weight file next to the description, or null
 * @param seed     the seed of the initialisation when there is no weight file
 */
public record ResidualMlpConfig(String name, int channels, int height, int width, int features, int hidden, int blocks, int classes,
        List<String> labels, String weights, long seed) {

    /** The value of {@code "format"} that marks the example's JSON files. */
    public static final String FORMAT = "residual-mlp";

    /** Copies the labels. */
    public ResidualMlpConfig {
        labels = List.copyOf(labels);
    }

    /** The number of input features (channels x height x width). */
    public int inputs() {
        return channels * height * width;
    }

    /**
     * Parses a description.
     *
     * @param source the file name, for messages
     * @throws ModelLoadException naming the field that is missing or wrong and what it must be
     */
    public static ResidualMlpConfig parse(String json, String source) throws ModelLoadException {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new ModelLoadException(source + " is not a JSON object.");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelLoadException(source + " is not valid JSON: " + e.getMessage());
        }
        if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString())) {
            throw new ModelLoadException(source + ": \"format\" must be \"" + FORMAT + "\".");
        }
        if (!o.has("input") || !o.get("input").isJsonObject()) {
            throw new ModelLoadException(source + ": \"input\" must be an object like {\"channels\": 3, \"height\": 32, \"width\": 32}.");
        }
        JsonObject in = o.getAsJsonObject("input");
        int classes = positive(o, "classes", source);
        List<String> labels = new ArrayList<>();
        if (o.has("labels")) {
            o.getAsJsonArray("labels").forEach(l -> labels.add(l.getAsString()));
            if (labels.size() != classes) {
                throw new ModelLoadException(source + ": " + labels.size() + " labels for " + classes + " classes; give one label per class.");
            }
        }
        boolean hasWeights = o.has("weights");
        if (hasWeights == o.has("seed")) {
            throw new ModelLoadException(source + ": give either \"weights\" (a raw float32 file next to it) or \"seed\" (a seeded "
                    + "initialisation), not " + (hasWeights ? "both" : "neither") + ".");
        }
        String name = o.has("name") ? o.get("name").getAsString() : source;
        return new ResidualMlpConfig(name, positive(in, "channels", source), positive(in, "height", source), positive(in, "width", source),
                positive(o, "features", source), positive(o, "hidden", source), count(o, "blocks", source), classes, labels,
                hasWeights ? o.get("weights").getAsString() : null, hasWeights ? 0 : o.get("seed").getAsLong());
    }

    private static int positive(JsonObject o, String key, String source) throws ModelLoadException {
        int v = count(o, key, source);
        if (v < 1) {
            throw new ModelLoadException(source + ": \"" + key + "\" must be at least 1, got " + v + ".");
        }
        return v;
    }

    private static int count(JsonObject o, String key, String source) throws ModelLoadException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() < 0 || e.getAsDouble() > 1 << 20) {
            throw new ModelLoadException(source + ": \"" + key + "\" must be a whole number from 0 to " + (1 << 20) + ", got "
                    + (e == null ? "nothing" : e) + ".");
        }
        return e.getAsInt();
    }
}

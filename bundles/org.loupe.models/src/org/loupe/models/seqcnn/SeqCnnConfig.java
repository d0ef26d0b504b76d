package org.loupe.models.seqcnn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.Normalization;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A sequential CNN described in JSON: input, layers in order, optional labels and weight-file name.
 * The same layout as a PyTorch {@code nn.Sequential(OrderedDict(...))}, so its {@code state_dict}
 * names ({@code conv1.weight}, {@code bn1.running_mean}) are the tensor names.
 *
 * <pre>{
 *   "architecture": "sequential-cnn",
 *   "name": "Tiny CNN",
 *   "input": {"channels": 3, "height": 32, "width": 32, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
 *   "weights": "tiny.safetensors",
 *   "labels": ["circle", "square"],
 *   "layers": [
 *     {"name": "conv1", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
 *     {"name": "relu1", "type": "relu"},
 *     {"name": "pool1", "type": "maxpool2d", "kernel": 2},
 *     {"name": "flatten", "type": "flatten"},
 *     {"name": "fc", "type": "linear", "out_features": 2}
 *   ]
 * }</pre>
 *
 * @param name    display name
 * @param input   the input spec
 * @param layers  the layers
 * @param labels  class labels (may be empty)
 * @param weights weight file name relative to the config, or null for the config's base name with
 *                {@code .safetensors} or {@code .npz}
 *
 * @since 0.1
 */
public record SeqCnnConfig(String name, InputSpec input, List<LayerSpec> layers, List<String> labels, String weights) {

    /** The value of {@code architecture} that marks these configs. */
    public static final String ARCHITECTURE = "sequential-cnn";

    static final List<String> TYPES = List.of("conv2d", "batchnorm2d", "relu", "gelu", "sigmoid", "tanh", "maxpool2d", "avgpool2d",
            "global_avgpool", "flatten", "linear", "dropout");

    /** Parses a config; {@code source} names the file in messages. */
    public static SeqCnnConfig parse(String json, String source) throws ModelLoadException {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelLoadException(source + " is not a JSON object: " + e.getMessage());
        }
        String arch = str(o, "architecture", null, source);
        if (!ARCHITECTURE.equals(arch)) {
            throw new ModelLoadException(source + ": \"architecture\" is '" + arch + "', expected '" + ARCHITECTURE + "'.");
        }
        JsonObject in = obj(o, "input", source);
        int channels = integer(in, "channels", 3, source + " input");
        float[] mean = floats(in, "mean", channels, 0f, source);
        float[] std = floats(in, "std", channels, 1f, source);
        float scale = in.has("scale") ? in.get("scale").getAsFloat() : 1f;
        InputSpec spec;
        try {
            spec = new InputSpec(channels, integer(in, "height", -1, source + " input"), integer(in, "width", -1, source + " input"),
                    new Normalization(scale, mean, std));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source + ": bad \"input\": " + e.getMessage() + ".");
        }
        if (!o.has("layers") || !o.get("layers").isJsonArray() || o.getAsJsonArray("layers").isEmpty()) {
            throw new ModelLoadException(source + ": \"layers\" must be a non-empty array.");
        }
        List<LayerSpec> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonArray arr = o.getAsJsonArray("layers");
        for (int i = 0; i < arr.size(); i++) {
            JsonObject l = arr.get(i).getAsJsonObject();
            String where = source + " layer " + i;
            String name = str(l, "name", null, where);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ModelLoadException(where + ": name '" + name + "' must be letters, digits and underscores.");
            }
            if (!names.add(name)) {
                throw new ModelLoadException(where + ": the name '" + name + "' is used twice.");
            }
            where = source + " layer " + i + " (" + name + ")";
            String type = str(l, "type", null, where);
            if (!TYPES.contains(type)) {
                throw new ModelLoadException(where + ": unknown type '" + type + "'; known types: " + String.join(", ", TYPES) + ".");
            }
            int out = switch (type) {
                case "conv2d" -> integer(l, "out_channels", -1, where);
                case "linear" -> integer(l, "out_features", -1, where);
                default -> 0;
            };
            boolean needsKernel = type.equals("conv2d") || type.endsWith("pool2d");
            int kernel = needsKernel ? integer(l, "kernel", -1, where) : 0;
            int stride = needsKernel ? integer(l, "stride", type.equals("conv2d") ? 1 : kernel, where) : 0;
            int padding = needsKernel ? integer(l, "padding", 0, where) : 0;
            if (needsKernel && (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2)) {
                throw new ModelLoadException(where + ": kernel " + kernel + ", stride " + stride + ", padding " + padding
                        + " are not valid (kernel >= 1, stride >= 1, 0 <= padding <= kernel/2).");
            }
            if ((type.equals("conv2d") || type.equals("linear")) && out < 1) {
                throw new ModelLoadException(where + ": the output size must be at least 1, got " + out + ".");
            }
            boolean bias = !l.has("bias") || l.get("bias").getAsBoolean();
            float eps = l.has("eps") ? l.get("eps").getAsFloat() : 1e-5f;
            layers.add(new LayerSpec(name, type, out, kernel, stride, padding, bias, eps));
        }
        List<String> labels = new ArrayList<>();
        if (o.has("labels")) {
            for (JsonElement e : o.getAsJsonArray("labels")) {
                labels.add(e.getAsString());
            }
        }
        String weights = o.has("weights") ? o.get("weights").getAsString() : null;
        return new SeqCnnConfig(str(o, "name", "Sequential CNN", source), spec, List.copyOf(layers), List.copyOf(labels), weights);
    }

    private static JsonObject obj(JsonObject o, String key, String where) throws ModelLoadException {
        if (!o.has(key) || !o.get(key).isJsonObject()) {
            throw new ModelLoadException(where + ": missing object \"" + key + "\".");
        }
        return o.getAsJsonObject(key);
    }

    private static String str(JsonObject o, String key, String dflt, String where) throws ModelLoadException {
        if (!o.has(key)) {
            if (dflt == null) {
                throw new ModelLoadException(where + ": missing field \"" + key + "\".");
            }
            return dflt;
        }
        return o.get(key).getAsString();
    }

    private static int integer(JsonObject o, String key, int dflt, String where) throws ModelLoadException {
        if (!o.has(key)) {
            if (dflt < 0) {
                throw new ModelLoadException(where + ": missing field \"" + key + "\".");
            }
            return dflt;
        }
        try {
            return o.get(key).getAsInt();
        } catch (RuntimeException e) {
            throw new ModelLoadException(where + ": \"" + key + "\" must be an integer, got " + o.get(key) + ".");
        }
    }

    private static float[] floats(JsonObject o, String key, int n, float dflt, String where) throws ModelLoadException {
        float[] out = new float[n];
        java.util.Arrays.fill(out, dflt);
        if (!o.has(key)) {
            return out;
        }
        JsonArray a = o.getAsJsonArray(key);
        if (a.size() != n) {
            throw new ModelLoadException(where + ": input \"" + key + "\" needs " + n + " values (one per channel), got " + a.size() + ".");
        }
        for (int i = 0; i < n; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }
}

package org.loupe.models.zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The fields shared by every model sidecar (zoo weights, TorchScript): {@code input} and
 * {@code labels}. Malformed fields throw {@link IllegalArgumentException}s with the reason; callers
 * name the sidecar.
 */
public final class Sidecars {

    private Sidecars() {
    }

    /**
     * The sidecar's {@code input}: {@code channels} (3), {@code height} (224), {@code width} (the
     * height), and a normalisation from {@code scale}/{@code mean}/{@code std} if any is given,
     * else ImageNet's for 3 channels; null if the sidecar has no {@code input}.
     */
    public static InputSpec input(JsonObject sidecar) {
        if (!sidecar.has("input")) {
            return null;
        }
        JsonObject in = sidecar.getAsJsonObject("input");
        int c = in.has("channels") ? in.get("channels").getAsInt() : 3;
        int h = in.has("height") ? in.get("height").getAsInt() : 224;
        int w = in.has("width") ? in.get("width").getAsInt() : h;
        Normalization norm = in.has("mean") || in.has("std") || in.has("scale")
                ? new Normalization(in.has("scale") ? in.get("scale").getAsFloat() : 1f, floats(in, "mean", c, 0f), floats(in, "std", c, 1f))
                : (c == 3 ? Normalization.IMAGENET : Normalization.identity(c));
        return new InputSpec(c, h, w, norm);
    }

    /** The sidecar's {@code labels}: a list, or {@code "imagenet"} for ImageNet-1k's; null if absent. */
    public static List<String> labels(JsonObject sidecar) {
        if (!sidecar.has("labels")) {
            return null;
        }
        JsonElement l = sidecar.get("labels");
        if (l.isJsonPrimitive() && l.getAsString().equals("imagenet")) {
            return Labels.imagenet1k();
        }
        List<String> labels = new ArrayList<>();
        for (JsonElement e : l.getAsJsonArray()) {
            labels.add(e.getAsString());
        }
        return labels;
    }

    private static float[] floats(JsonObject o, String key, int n, float dflt) {
        float[] out = new float[n];
        Arrays.fill(out, dflt);
        if (o.has(key)) {
            JsonArray a = o.getAsJsonArray(key);
            if (a.size() != n) {
                throw new IllegalArgumentException("input \"" + key + "\" needs " + n + " values, got " + a.size());
            }
            for (int i = 0; i < n; i++) {
                out[i] = a.get(i).getAsFloat();
            }
        }
        return out;
    }
}

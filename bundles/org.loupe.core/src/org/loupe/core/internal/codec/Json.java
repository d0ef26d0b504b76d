package org.loupe.core.internal.codec;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** JSON helpers the built-in codecs share. */
final class Json {

    private Json() {
    }

    static JsonArray doubles(double[] values) {
        JsonArray a = new JsonArray(values.length);
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray(values.size());
        values.forEach(a::add);
        return a;
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>(a.size());
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** The string member {@code key}, or {@code fallback} if it is absent or null. */
    static String string(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }
}

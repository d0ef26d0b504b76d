package org.loupe.models.zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.loupe.core.model.InputSpec;
import org.loupe.core.model.Normalization;
import org.loupe.core.model.Resize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The fields shared by every model sidecar (zoo weights, TorchScript): {@code input} and
 * {@code labels}. Malformed fields throw {@link IllegalArgumentException}s with the reason; callers
 * name the sidecar.
 *
 * @since 0.1
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
        return new InputSpec(c, h, w, norm, resize(in, Resize.FIT));
    }

    /**
     * The sidecar's {@code input} over {@code dflt}: each field the sidecar gives replaces the
     * default's ({@code channels}, {@code height}, {@code width}; {@code mean}/{@code std}/{@code scale}
     * together; {@code resize}: a number for the shorter side, {@code "fit"} or {@code "stretch"}).
     */
    public static InputSpec input(JsonObject sidecar, InputSpec dflt) {
        if (!sidecar.has("input")) {
            return sidecar.has("interpolation") ? dflt.withResize(dflt.resize().with(interpolation(sidecar))) : dflt;
        }
        JsonObject in = sidecar.getAsJsonObject("input");
        int c = in.has("channels") ? in.get("channels").getAsInt() : dflt.channels();
        int h = in.has("height") ? in.get("height").getAsInt() : dflt.height();
        int w = in.has("width") ? in.get("width").getAsInt() : in.has("height") ? h : dflt.width();
        Normalization norm = in.has("mean") || in.has("std") || in.has("scale")
                ? new Normalization(in.has("scale") ? in.get("scale").getAsFloat() : 1f, floats(in, "mean", c, 0f), floats(in, "std", c, 1f))
                : c == dflt.channels() ? dflt.normalization() : c == 3 ? Normalization.IMAGENET : Normalization.identity(c);
        Resize r = resize(in, dflt.resize());
        return new InputSpec(c, h, w, norm, sidecar.has("interpolation") ? r.with(interpolation(sidecar)) : r);
    }

    /** The sidecar's {@code interpolation}: {@code "bilinear"} or {@code "bicubic"} (PIL's filters). */
    private static Resize.Interpolation interpolation(JsonObject sidecar) {
        String i = sidecar.get("interpolation").getAsString();
        return switch (i) {
            case "bilinear" -> Resize.Interpolation.BILINEAR;
            case "bicubic" -> Resize.Interpolation.BICUBIC;
            default -> throw new IllegalArgumentException("\"interpolation\" is '" + i + "'; Loupe resamples \"bilinear\" or \"bicubic\"");
        };
    }

    /** The input's {@code resize}: a number (shorter side), {@code "fit"}, {@code "stretch"}; {@code dflt} if absent. */
    private static Resize resize(JsonObject in, Resize dflt) {
        if (!in.has("resize")) {
            return dflt;
        }
        JsonElement r = in.get("resize");
        if (r.isJsonPrimitive() && r.getAsJsonPrimitive().isNumber()) {
            return Resize.shorterSide(r.getAsInt());
        }
        String s = r.getAsString();
        return switch (s) {
            case "fit" -> Resize.FIT;
            case "stretch" -> Resize.STRETCH;
            default -> throw new IllegalArgumentException("input \"resize\" must be the shorter side in pixels, \"fit\" or \"stretch\", got " + r);
        };
    }

    /** The sidecar line that states {@code n}: {@code "input": {"mean": [...], "std": [...]}}. */
    public static String normalizationLine(Normalization n) {
        return "\"input\": {" + (n.scale() == 1f ? "" : "\"scale\": " + n.scale() + ", ") + "\"mean\": " + Arrays.toString(n.mean())
                + ", \"std\": " + Arrays.toString(n.std()) + "}";
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

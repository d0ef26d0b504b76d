package org.loupe.analysis.attention.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.loupe.analysis.attention.AttentionResult;
import org.loupe.analysis.attention.AttentionStack;
import org.loupe.analysis.attention.Fusion;
import org.loupe.analysis.attention.Method;
import org.loupe.core.images.RasterImage;
import org.loupe.core.model.TokenLayout;
import org.loupe.core.result.FloatMap;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Stores an {@link AttentionResult}: the settings as JSON fields, and per image its PNG, its token
 * layout, layer names, target class and label, and the attention (and gradients, if any) as
 * {@code .npy} files of shape {@code [layers * heads, T, T]}, bit-exact.
 */
public final class AttentionResultCodec implements ResultCodec<AttentionResult> {

    @Override
    public void write(AttentionResult r, JsonObject out, RunFiles files) throws IOException {
        out.addProperty("method", r.method().id());
        out.addProperty("fusion", r.fusion().id());
        out.addProperty("discard", r.discard());
        out.addProperty("startLayer", r.startLayer());
        out.addProperty("layer", r.layer());
        out.addProperty("head", r.head());
        out.addProperty("token", r.token());
        JsonArray items = new JsonArray();
        for (int i = 0; i < r.size(); i++) {
            AttentionStack s = r.stacks().get(i);
            JsonObject item = new JsonObject();
            item.addProperty("png", files.writeImage(r.images().get(i)));
            item.addProperty("targetClass", r.targetClasses().get(i));
            item.addProperty("label", r.labels().get(i));
            TokenLayout l = s.layout();
            JsonObject layout = new JsonObject();
            layout.addProperty("classToken", l.classToken());
            layout.addProperty("prefixTokens", l.prefixTokens());
            layout.addProperty("rows", l.rows());
            layout.addProperty("cols", l.cols());
            item.add("layout", layout);
            JsonArray layers = new JsonArray();
            s.layers().forEach(layers::add);
            item.add("layers", layers);
            item.addProperty("heads", s.heads());
            int[] shape = {s.layerCount() * s.heads(), s.tokens(), s.tokens()};
            item.addProperty("probs", files.writeFloats(new FloatMap(shape, s.probs())));
            if (s.hasGradients()) {
                item.addProperty("gradProbs", files.writeFloats(new FloatMap(shape, s.gradProbs())));
            }
            items.add(item);
        }
        out.add("images", items);
    }

    @Override
    public AttentionResult read(JsonObject in, RunFiles files) throws IOException {
        List<RasterImage> images = new ArrayList<>();
        List<AttentionStack> stacks = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (JsonElement e : in.getAsJsonArray("images")) {
            JsonObject item = e.getAsJsonObject();
            images.add(files.readImage(item.get("png").getAsString()));
            targets.add(item.get("targetClass").getAsInt());
            labels.add(item.get("label").getAsString());
            JsonObject l = item.getAsJsonObject("layout");
            TokenLayout layout = new TokenLayout(l.get("classToken").getAsInt(), l.get("prefixTokens").getAsInt(), l.get("rows").getAsInt(),
                    l.get("cols").getAsInt());
            List<String> layers = new ArrayList<>();
            item.getAsJsonArray("layers").forEach(x -> layers.add(x.getAsString()));
            float[] probs = files.readFloats(item.get("probs").getAsString()).values();
            float[] grads = item.has("gradProbs") ? files.readFloats(item.get("gradProbs").getAsString()).values() : null;
            stacks.add(new AttentionStack(layout, layers, item.get("heads").getAsInt(), layout.tokens(), probs, grads));
        }
        return new AttentionResult(in.get("title").getAsString(), images, stacks, targets, labels, Method.of(in.get("method").getAsString()),
                Fusion.valueOf(in.get("fusion").getAsString().toUpperCase(java.util.Locale.ROOT)), in.get("discard").getAsDouble(),
                in.get("startLayer").getAsInt(), in.get("layer").getAsInt(), in.get("head").getAsInt(), in.get("token").getAsInt());
    }
}

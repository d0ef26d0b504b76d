package org.loupe.core.internal.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.loupe.core.result.GalleryItem;
import org.loupe.core.result.GalleryResult;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;
import org.loupe.core.result.UnitRef;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** {@code gallery}: columns, value label, and per item a PNG file, caption, value, unit link and detail (the last three if set; the detail through its own type's codec). */
public final class GalleryCodec implements ResultCodec<GalleryResult> {

    @Override
    public void write(GalleryResult g, JsonObject out, RunFiles files) throws IOException {
        out.addProperty("columns", g.columns());
        out.addProperty("valueLabel", g.valueLabel());
        JsonArray items = new JsonArray();
        for (GalleryItem i : g.items()) {
            JsonObject o = new JsonObject();
            o.addProperty("png", files.writeImage(i.image()));
            o.addProperty("caption", i.caption());
            if (i.value() != null) {
                o.addProperty("value", i.value());
            }
            if (i.unit() != null) {
                o.addProperty("unit", i.unit().link());
            }
            if (i.detail() != null) {
                o.add("detail", files.writeResult(i.detail()));
            }
            items.add(o);
        }
        out.add("items", items);
    }

    @Override
    public GalleryResult read(JsonObject in, RunFiles files) throws IOException {
        List<GalleryItem> items = new ArrayList<>();
        for (JsonElement e : in.getAsJsonArray("items")) {
            JsonObject o = e.getAsJsonObject();
            items.add(new GalleryItem(files.readImage(o.get("png").getAsString()), Json.string(o, "caption", ""),
                    o.has("value") ? o.get("value").getAsDouble() : null, o.has("unit") ? UnitRef.parse(o.get("unit").getAsString()) : null,
                    o.has("detail") ? files.readResult(o.getAsJsonObject("detail")) : null));
        }
        return new GalleryResult(in.get("title").getAsString(), items, in.get("columns").getAsInt(), Json.string(in, "valueLabel", ""));
    }
}

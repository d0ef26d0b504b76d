package org.loupe.core.internal.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.loupe.core.images.RasterImage;
import org.loupe.core.result.ImageGridResult;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** {@code imageGrid}: the columns, and one PNG file and caption per picture. */
public final class ImageGridCodec implements ResultCodec<ImageGridResult> {

    @Override
    public void write(ImageGridResult g, JsonObject out, RunFiles files) throws IOException {
        out.addProperty("columns", g.columns());
        JsonArray items = new JsonArray();
        for (int i = 0; i < g.images().size(); i++) {
            JsonObject item = new JsonObject();
            item.addProperty("png", files.writeImage(g.images().get(i)));
            item.addProperty("caption", g.captions().get(i));
            items.add(item);
        }
        out.add("images", items);
    }

    @Override
    public ImageGridResult read(JsonObject in, RunFiles files) throws IOException {
        List<RasterImage> imgs = new ArrayList<>();
        List<String> caps = new ArrayList<>();
        for (JsonElement e : in.getAsJsonArray("images")) {
            imgs.add(files.readImage(e.getAsJsonObject().get("png").getAsString()));
            caps.add(e.getAsJsonObject().get("caption").getAsString());
        }
        return new ImageGridResult(in.get("title").getAsString(), imgs, caps, in.get("columns").getAsInt());
    }
}

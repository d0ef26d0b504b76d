package org.loupe.core.internal.codec;

import java.io.IOException;
import java.util.Locale;

import org.loupe.core.result.Colormap;
import org.loupe.core.result.HeatMapResult;
import org.loupe.core.result.OverlayStyle;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonObject;

/** {@code heatMap}: the map as an {@code .npy} file (bit-exact), the image under it as PNG (if any), and the style. */
public final class HeatMapCodec implements ResultCodec<HeatMapResult> {

    @Override
    public void write(HeatMapResult r, JsonObject out, RunFiles files) throws IOException {
        out.addProperty("caption", r.caption());
        out.addProperty("npy", files.writeFloats(r.map()));
        if (r.image() != null) {
            out.addProperty("png", files.writeImage(r.image()));
        }
        JsonObject style = new JsonObject();
        style.addProperty("colormap", r.style().colormap().name().toLowerCase(Locale.ROOT));
        style.addProperty("min", r.style().min());
        style.addProperty("max", r.style().max());
        style.addProperty("opacity", r.style().opacity());
        out.add("style", style);
    }

    @Override
    public HeatMapResult read(JsonObject in, RunFiles files) throws IOException {
        JsonObject s = in.getAsJsonObject("style");
        OverlayStyle style = new OverlayStyle(Colormap.named(s.get("colormap").getAsString()), s.get("min").getAsDouble(),
                s.get("max").getAsDouble(), s.get("opacity").getAsDouble());
        return new HeatMapResult(in.get("title").getAsString(), files.readFloats(in.get("npy").getAsString()),
                in.has("png") ? files.readImage(in.get("png").getAsString()) : null, style, Json.string(in, "caption", ""));
    }
}

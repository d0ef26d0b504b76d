package org.loupe.core.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.loupe.core.result.ChartKind;
import org.loupe.core.result.ChartResult;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;
import org.loupe.core.result.Series;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** {@code chart}: kind, axis labels, the series' numbers in the JSON (exact doubles), categories if any. */
public final class ChartCodec implements ResultCodec<ChartResult> {

    @Override
    public void write(ChartResult c, JsonObject out, RunFiles files) {
        out.addProperty("kind", c.kind().name().toLowerCase(Locale.ROOT));
        out.addProperty("xLabel", c.xLabel());
        out.addProperty("yLabel", c.yLabel());
        JsonArray series = new JsonArray();
        for (Series s : c.series()) {
            JsonObject so = new JsonObject();
            so.addProperty("name", s.name());
            so.add("x", Json.doubles(s.x()));
            so.add("y", Json.doubles(s.y()));
            series.add(so);
        }
        out.add("series", series);
        if (!c.categories().isEmpty()) {
            out.add("categories", Json.strings(c.categories()));
        }
    }

    @Override
    public ChartResult read(JsonObject in, RunFiles files) {
        List<Series> series = new ArrayList<>();
        for (JsonElement e : in.getAsJsonArray("series")) {
            JsonObject so = e.getAsJsonObject();
            series.add(new Series(so.get("name").getAsString(), Json.doubles(so.getAsJsonArray("x")), Json.doubles(so.getAsJsonArray("y"))));
        }
        List<String> cats = in.has("categories") ? Json.strings(in.getAsJsonArray("categories")) : List.of();
        return new ChartResult(in.get("title").getAsString(), ChartKind.valueOf(in.get("kind").getAsString().toUpperCase(Locale.ROOT)),
                in.get("xLabel").getAsString(), in.get("yLabel").getAsString(), series, cats);
    }
}

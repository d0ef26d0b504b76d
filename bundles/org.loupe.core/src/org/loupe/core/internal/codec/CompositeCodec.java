package org.loupe.core.internal.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.loupe.core.result.CompositeResult;
import org.loupe.core.result.Result;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** {@code composite}: the parts, each through its own type's codec (so a composite may hold a plug-in's results). */
public final class CompositeCodec implements ResultCodec<CompositeResult> {

    @Override
    public void write(CompositeResult c, JsonObject out, RunFiles files) throws IOException {
        JsonArray parts = new JsonArray();
        for (Result p : c.parts()) {
            parts.add(files.writeResult(p));
        }
        out.add("parts", parts);
    }

    @Override
    public CompositeResult read(JsonObject in, RunFiles files) throws IOException {
        List<Result> parts = new ArrayList<>();
        for (JsonElement e : in.getAsJsonArray("parts")) {
            parts.add(files.readResult(e.getAsJsonObject()));
        }
        return new CompositeResult(in.get("title").getAsString(), parts);
    }
}

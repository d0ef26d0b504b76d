package org.loupe.core.internal.codec;

import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;
import org.loupe.core.result.TextResult;

import com.google.gson.JsonObject;

/** {@code text}: the text. */
public final class TextCodec implements ResultCodec<TextResult> {

    @Override
    public void write(TextResult t, JsonObject out, RunFiles files) {
        out.addProperty("text", t.text());
    }

    @Override
    public TextResult read(JsonObject in, RunFiles files) {
        return new TextResult(in.get("title").getAsString(), in.get("text").getAsString());
    }
}

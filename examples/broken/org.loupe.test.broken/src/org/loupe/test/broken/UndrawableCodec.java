package org.loupe.test.broken;

import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonObject;

/** Stores the parts of {@link Undrawable}'s result: only their titles and which part they are. */
public class UndrawableCodec implements ResultCodec<Undrawable.Part> {

    @Override
    public void write(Undrawable.Part result, JsonObject out, RunFiles files) {
        out.addProperty("title", result.title());
        out.addProperty("crashes", result instanceof Undrawable.Crashes);
    }

    @Override
    public Undrawable.Part read(JsonObject in, RunFiles files) {
        String title = in.get("title").getAsString();
        return in.get("crashes").getAsBoolean() ? new Undrawable.Crashes(title) : new Undrawable.Uncreatable(title);
    }
}

package org.loupe.test.broken;

import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonObject;

/** A codec that fails to write, after a file of the run folder is written. */
public class UnstorableCodec implements ResultCodec<Unstorable.Value> {

    @Override
    public void write(Unstorable.Value result, JsonObject out, RunFiles files) throws java.io.IOException {
        files.writeImage(new org.loupe.core.images.RasterImage(1, 1, new int[] {0}));
        throw new IllegalStateException("the fixture's codec cannot store anything");
    }

    @Override
    public Unstorable.Value read(JsonObject in, RunFiles files) {
        return new Unstorable.Value(in.get("title").getAsString());
    }
}

package org.loupe.core.internal.codec;

import java.io.IOException;

import org.loupe.core.result.ImageResult;
import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonObject;

/** {@code image}: the picture as a PNG file, and its caption. */
public final class ImageCodec implements ResultCodec<ImageResult> {

    @Override
    public void write(ImageResult r, JsonObject out, RunFiles files) throws IOException {
        out.addProperty("caption", r.caption());
        out.addProperty("png", files.writeImage(r.image()));
    }

    @Override
    public ImageResult read(JsonObject in, RunFiles files) throws IOException {
        return new ImageResult(in.get("title").getAsString(), files.readImage(in.get("png").getAsString()), in.get("caption").getAsString());
    }
}

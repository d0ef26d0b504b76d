package org.loupe.core.result;

import java.io.IOException;

import org.loupe.core.images.RasterImage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * What a {@link ResultCodec} gets from the run folder it writes or reads: numbered PNG files for
 * images, NumPy {@code .npy} files for float maps (bit-exact), the codecs of nested results, and
 * the JSON form of cell values. Names it returns are relative to the run folder.
 *
 * @since 0.1
 */
public interface RunFiles {

    /** Writes {@code image} as a new PNG file; returns its name. */
    String writeImage(RasterImage image) throws IOException;

    /** Reads the PNG file {@code name} (which must lie inside the run folder). */
    RasterImage readImage(String name) throws IOException;

    /** Writes {@code map} as a new little-endian float32 {@code .npy} file; returns its name. */
    String writeFloats(FloatMap map) throws IOException;

    /** Reads the {@code .npy} file {@code name}. */
    FloatMap readFloats(String name) throws IOException;

    /** The JSON of a nested result (with its {@code type} and {@code title}), through its type's codec. */
    JsonObject writeResult(Result result) throws IOException;

    /** Reads a nested result written by {@link #writeResult}. */
    Result readResult(JsonObject json) throws IOException;

    /**
     * The JSON of a value: null, a boolean, a number, a string, or a {@link UnitRef} (as
     * {@code {"unitRef": "model#hookPoint:unit"}}).
     */
    JsonElement writeValue(Object value);

    /** Reads a value written by {@link #writeValue}; integral numbers come back as Long, others as Double. */
    Object readValue(JsonElement json);
}

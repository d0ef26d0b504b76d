package org.loupe.core.result;

import java.io.IOException;

import com.google.gson.JsonObject;

/**
 * Stores one result type in a run folder and reads it back unchanged: the fields go into the
 * result's JSON object in {@code run.json}, images and float maps into files next to it (through
 * {@link RunFiles}). Contributed with its result class through the extension point
 * {@code org.loupe.core.resultTypes}; the run store writes {@code type} (the declared id) and
 * {@code title} itself.
 *
 * <p>A codec must be stateless (one instance serves every run) and lossless: {@code read(write(r))}
 * equals {@code r}. A reader should accept what older versions of the plug-in wrote.
 *
 * @param <R> the result class
 *
 * @since 0.1
 */
public interface ResultCodec<R extends Result> {

    /** Writes {@code result}'s fields into {@code out}; files go through {@code files}. */
    void write(R result, JsonObject out, RunFiles files) throws IOException;

    /**
     * Reads a result from {@code in} (which holds {@code type}, {@code title} and what
     * {@link #write} wrote).
     *
     * @throws IOException if a file is missing or unreadable
     * @throws RuntimeException (such as {@link IllegalArgumentException}) if the JSON is not what
     *                          it should be; the store reports the run as damaged
     */
    R read(JsonObject in, RunFiles files) throws IOException;
}

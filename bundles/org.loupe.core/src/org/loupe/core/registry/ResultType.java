package org.loupe.core.registry;

import org.loupe.core.result.ResultCodec;

/**
 * A kind of result the run store can keep: the id written as {@code type} in {@code run.json}, the
 * result class, and its codec. Declared through {@code org.loupe.core.resultTypes}.
 *
 * @since 0.1
 */
public interface ResultType {

    /** The id written as the result's {@code type} ({@code image}, {@code org.example.profile}). */
    String id();

    /** The fully qualified name of the result class. */
    String resultClass();

    /** The symbolic name of the bundle that declared it. */
    String contributor();

    /** The codec (created when first asked for, then kept). */
    ResultCodec<?> codec();
}

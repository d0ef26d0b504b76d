package org.loupe.core.images;

import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;

/**
 * A stream of images: a folder, a synthetic stimulus generator, a parameter sweep. Images are
 * produced one at a time so a dataset is never held in memory. Problems with single items (an
 * undecodable file) are reported through {@link #problems()} and skipped, never fatal.
 *
 * @since 0.1
 */
public interface ImageSource extends Iterable<SourceImage>, AutoCloseable {

    /** A one-line description of what this source yields. */
    String describe();

    /** The number of images, if known in advance. */
    OptionalInt size();

    /** A fresh pass over the images, in a fixed order. */
    @Override
    Iterator<SourceImage> iterator();

    /** Items skipped so far, each with the reason (for example "b.jpg: not a decodable image"). */
    default List<String> problems() {
        return List.of();
    }

    /** Releases open files. */
    @Override
    default void close() {
    }
}

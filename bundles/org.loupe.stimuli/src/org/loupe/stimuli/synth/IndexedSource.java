package org.loupe.stimuli.synth;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.function.IntFunction;

import org.loupe.core.images.ImageSource;
import org.loupe.core.images.SourceImage;

/**
 * A generated image source whose image {@code i} is made on demand from {@code i} alone: iteration
 * streams the images one at a time, and {@link #get(int)} gives random access (for shuffled
 * training, or to look at one image) without making the ones before it.
 *
 * @since 0.1
 */
public final class IndexedSource implements ImageSource {

    private final String description;
    private final int count;
    private final IntFunction<SourceImage> make;

    /**
     * @param description what {@link #describe()} says
     * @param count       the number of images
     * @param make        makes image {@code i}; must depend only on {@code i} (and fixed state)
     */
    public IndexedSource(String description, int count, IntFunction<SourceImage> make) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        this.description = description;
        this.count = count;
        this.make = make;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public OptionalInt size() {
        return OptionalInt.of(count);
    }

    /** Image {@code i} (0-based). */
    public SourceImage get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + " of " + count);
        }
        return make.apply(i);
    }

    @Override
    public Iterator<SourceImage> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public SourceImage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return make.apply(next++);
            }
        };
    }
}

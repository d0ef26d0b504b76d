package org.loupe.cli.internal;

import java.io.PrintStream;
import java.util.List;

import org.loupe.core.images.ImageSource;
import org.loupe.core.images.SourceImage;
import org.loupe.core.registry.LoupeRegistry;

/**
 * The images of a run, checked before the model is opened: a spec that names nothing is a wrong
 * command line, and files that cannot be decoded are named on the terminal (the analysis skips
 * them; its summary mentions them too, but only in the result).
 */
final class ImageCheck {

    private ImageCheck() {
    }

    /**
     * Opens {@code spec} and reads it once; reports skipped images to {@code err}.
     *
     * @param option how the spec was given, for messages: {@code "--image "} or {@code "--param images="}
     * @throws IllegalArgumentException if the spec names nothing, has a wrong parameter, or
     *                                  yields no image that can be read
     */
    static void check(LoupeRegistry registry, String option, String spec, long seed, PrintStream err) {
        int read = 0;
        List<String> skipped;
        try (ImageSource source = registry.openImages(spec, seed)) {
            for (SourceImage ignored : source) {
                read++;
            }
            skipped = source.problems();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + spec + ": " + e.getMessage(), e);
        }
        if (read == 0) {
            throw new IllegalArgumentException(option + spec + " gives no image that can be read"
                    + (skipped.isEmpty() ? "" : ": " + String.join("; ", skipped)));
        }
        if (!skipped.isEmpty()) {
            err.printf("loupe: skipping %d of %d images of %s that cannot be read:%n", skipped.size(), read + skipped.size(), spec);
            skipped.forEach(p -> err.println("  " + Messages.clean(p)));
        }
    }
}

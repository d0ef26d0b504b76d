package org.loupe.core.result;

import java.util.Locale;

/**
 * The images a run actually read, as its provenance records them.
 *
 * @param spec        the image spec that was opened (the request's, or the analysis' default): an
 *                    absolute file or folder path, or an image-source spec
 * @param description the source's own description (sizes, seed, folder and file count)
 * @param count       how many images the analysis read (the longest pass over the source)
 * @param skipped     how many items the source skipped as unreadable
 *
 * @since 0.1
 */
public record ImagesUsed(String spec, String description, int count, int skipped) {

    /** One line for the provenance: {@code noise:count=4: 4 images read (4 uniform-noise images of 64x64 (seed 0))}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d image%s read%s (%s)", spec, count, count == 1 ? "" : "s",
                skipped == 0 ? "" : ", " + skipped + " skipped", description);
    }
}

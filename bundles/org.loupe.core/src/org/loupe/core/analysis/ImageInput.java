package org.loupe.core.analysis;

/**
 * An analysis' declaration that it reads images, and which ones it reads when the request gives
 * none. Images reach an analysis only this way: the request's images (the command line's
 * {@code --image}, the Analyses view's image field) or else this default, opened by
 * {@link AnalysisContext#images()} and recorded in the run's provenance exactly as used.
 *
 * @param defaultSpec the images used when none are given: a file, a folder, or an image-source spec
 *                    such as {@code noise:count=16}
 * @param description one line saying which images make sense, shown in forms and {@code --help}
 *
 * @since 0.1
 */
public record ImageInput(String defaultSpec, String description) {

    /** Checks the values. */
    public ImageInput {
        if (defaultSpec == null || defaultSpec.isBlank()) {
            throw new IllegalArgumentException("an image input needs a default image spec");
        }
        description = description == null ? "" : description;
    }
}

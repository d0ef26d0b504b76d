package org.loupe.core.model;

import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Turns a file or folder into a {@link HookedModel}. Contributed through the extension point
 * {@code org.loupe.core.modelLoaders}; instances are created when first needed.
 *
 * @since 0.1
 */
public interface ModelLoader {

    /**
     * Whether this loader recognises {@code path} (by looking at names and at most the first bytes;
     * this must be cheap). A loader that says yes and then fails gives a {@link ModelLoadException}.
     */
    boolean canLoad(Path path);

    /**
     * Loads the model completely or not at all.
     *
     * @throws ModelLoadException saying which file, tensor or field is wrong and what was expected
     */
    HookedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException;
}

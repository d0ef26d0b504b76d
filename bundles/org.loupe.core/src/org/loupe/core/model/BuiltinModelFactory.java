package org.loupe.core.model;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Creates a model that ships with Loupe or a plugin (a demo model), declared as
 * {@code builtinModel} in the extension point {@code org.loupe.core.modelLoaders}.
 *
 * @since 0.1
 */
public interface BuiltinModelFactory {

    /** Creates the model; {@code id} is the declared id, for factories that serve several. */
    HookedModel create(String id, IProgressMonitor monitor) throws ModelLoadException;
}

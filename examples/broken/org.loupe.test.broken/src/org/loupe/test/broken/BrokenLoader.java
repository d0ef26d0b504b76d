package org.loupe.test.broken;

import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoader;

/** A model loader that recognises {@code .broken} files and fails with an unchecked exception when it loads one. */
public class BrokenLoader implements ModelLoader {

    @Override
    public boolean canLoad(Path path) {
        return true;
    }

    @Override
    public HookedModel load(Path path, IProgressMonitor monitor) {
        throw new UnsupportedOperationException("the fixture's loader always fails");
    }
}

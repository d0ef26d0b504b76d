package org.loupe.test.broken;

import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageSourceFactory;

/** An image source that fails when it is opened. */
public class BrokenImages implements ImageSourceFactory<NoParameters> {

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public NoParameters defaults() {
        return new NoParameters();
    }

    @Override
    public ImageSource open(NoParameters parameters, long seed) {
        throw new IllegalStateException("the fixture's image source always fails");
    }
}

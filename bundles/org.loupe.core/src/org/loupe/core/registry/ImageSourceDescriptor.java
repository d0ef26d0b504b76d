package org.loupe.core.registry;

import org.eclipse.core.runtime.IConfigurationElement;
import org.loupe.core.images.ImageSourceFactory;

/**
 * A declared image source ({@code org.loupe.core.imageSources}).
 *
 * @since 0.1
 */
public final class ImageSourceDescriptor extends Contribution {

    ImageSourceDescriptor(IConfigurationElement element) {
        super(element);
    }

    /** The category (stimuli, datasets, ...). */
    public String category() {
        String c = attribute("category");
        return c == null ? "Other" : c;
    }

    /** Creates the factory. */
    public ImageSourceFactory<?> createFactory() {
        return create(ImageSourceFactory.class);
    }
}

package org.loupe.core.registry;

import org.eclipse.core.runtime.IConfigurationElement;
import org.loupe.core.model.BuiltinModelFactory;

/**
 * A declared built-in model ({@code builtinModel} in {@code org.loupe.core.modelLoaders}).
 *
 * @since 0.1
 */
public final class BuiltinModelDescriptor extends Contribution {

    BuiltinModelDescriptor(IConfigurationElement element) {
        super(element);
    }

    /** Whether it is the model the workbench opens on start (the first such wins). */
    public boolean isDefault() {
        return Boolean.parseBoolean(attribute("default"));
    }

    /** Creates the factory. */
    public BuiltinModelFactory createFactory() {
        return create(BuiltinModelFactory.class);
    }
}

package org.loupe.core.registry;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IConfigurationElement;
import org.loupe.core.model.ModelLoader;

/**
 * A declared model loader ({@code loader} in {@code org.loupe.core.modelLoaders}).
 *
 * @since 0.1
 */
public final class LoaderDescriptor extends Contribution {

    LoaderDescriptor(IConfigurationElement element) {
        super(element);
    }

    /** The file extensions it opens, without dots ({@code safetensors}); {@code /} for folders. */
    public List<String> fileExtensions() {
        String e = attribute("fileExtensions");
        return e == null ? List.of() : Arrays.stream(e.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.startsWith(".") ? s.substring(1) : s).toList();
    }

    /** Whether the path's name fits the declared extensions (a cheap first filter before canLoad). */
    public boolean matchesName(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean folder = java.nio.file.Files.isDirectory(path);
        for (String ext : fileExtensions()) {
            if (ext.equals("/") ? folder : name.endsWith("." + ext.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Creates the loader. */
    public ModelLoader createLoader() {
        return create(ModelLoader.class);
    }
}

package org.loupe.core.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.loupe.core.plugins.StateFile.State;

/**
 * Tests whether a contributing bundle is enabled, by the plug-in state file, which it reads again
 * whenever the file was replaced (each write replaces it, so its file key changes).
 */
final class EnabledFilter implements Predicate<String> {

    private final StateFile file;
    private List<Object> stamp = List.of();
    private Set<String> disabled = Set.of();

    EnabledFilter(StateFile file) {
        this.file = file;
    }

    @Override
    public synchronized boolean test(String contributor) {
        List<Object> now = stamp();
        if (!now.equals(stamp)) {
            stamp = now;
            disabled = disabled();
        }
        return !disabled.contains(contributor);
    }

    private List<Object> stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), ""));
        } catch (IOException e) {
            return List.of();
        }
    }

    private Set<String> disabled() {
        try {
            State s = file.read();
            Set<String> out = new HashSet<>(s.disabledBuiltIn());
            s.plugins().stream().filter(p -> !p.enabled()).forEach(p -> out.addAll(p.bundles()));
            return out;
        } catch (PluginException e) {
            return Set.of();
        }
    }
}

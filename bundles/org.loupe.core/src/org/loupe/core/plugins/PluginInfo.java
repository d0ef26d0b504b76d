package org.loupe.core.plugins;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One plug-in as the plug-in manager lists it: a bundle built into Loupe that contributes to Loupe's
 * extension points, or a plug-in the user installed (one or more bundles from a jar or a site).
 *
 * @param id            the plug-in's id: the bundle's symbolic name, or the feature id for a plug-in from a site
 * @param name          the name shown to users
 * @param version       its version
 * @param builtIn       true for a bundle that ships with Loupe (it can be disabled, not uninstalled)
 * @param enabled       false when the user disabled it: its contributions are ignored
 * @param bundles       the symbolic names of its bundles
 * @param contributions what it contributes, by kind ({@code analyses}, {@code loaders}, ...), each with the
 *                      ids; kinds in the order of {@link PluginManager#KINDS}, empty kinds left out
 * @param source        where a user plug-in was installed from (a jar path or a site), empty for built-in ones
 *
 * @since 0.1
 */
public record PluginInfo(String id, String name, String version, boolean builtIn, boolean enabled, List<String> bundles,
        Map<String, List<String>> contributions, String source) {

    /** The contributions in one line, such as {@code 2 analyses, 1 result view}; {@code nothing} if none. */
    public String summary() {
        if (contributions.isEmpty()) {
            return "nothing";
        }
        return contributions.entrySet().stream().map(e -> e.getValue().size() + " " + singularIfOne(e.getKey(), e.getValue().size()))
                .collect(Collectors.joining(", "));
    }

    private static String singularIfOne(String kind, int n) {
        if (n != 1) {
            return kind;
        }
        return kind.equals("analyses") ? "analysis" : kind.substring(0, kind.length() - 1);
    }
}

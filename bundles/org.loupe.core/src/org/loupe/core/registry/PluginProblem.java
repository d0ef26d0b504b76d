package org.loupe.core.registry;

/**
 * A plug-in whose contributions Loupe could not take, found when the registry was read: its
 * plugin.xml could not be read, or a declaration in it lacks what Loupe needs (an id, a class).
 * What it declares is left out; {@code loupe list} and the Analyses view show this instead.
 *
 * @param bundle  the plug-in's bundle symbolic name
 * @param plugin  the plug-in as users see it ({@code plug-in 'Name' (symbolic.name)})
 * @param problem what is wrong, in words, and what its author should do
 *
 * @since 0.1
 */
public record PluginProblem(String bundle, String plugin, String problem) {

    /** The whole message: {@code "plug-in 'Name' (id): problem"}. */
    public String describe() {
        return plugin + ": " + problem;
    }
}

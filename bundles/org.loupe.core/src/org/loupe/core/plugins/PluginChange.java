package org.loupe.core.plugins;

/**
 * What an install, enable, disable or uninstall did.
 *
 * @param message       one or two sentences for the user: what changed and when it takes effect
 * @param restartNeeded true when the workbench must be restarted for the change to show completely
 *                      (the plug-in adds menus or views to the workbench itself); Loupe's own
 *                      contributions (analyses, loaders, sources, result types and views) change at once
 *
 * @since 0.1
 */
public record PluginChange(String message, boolean restartNeeded) {
}
